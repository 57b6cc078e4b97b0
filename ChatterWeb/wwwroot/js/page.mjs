// The page's behaviour, loaded once from the layout as an ES module (no inline script anywhere, so a
// strict CSP holds). Each import is one feature; its listeners are registered in this order, which
// matters where two handle the same event (live-room drops duplicate messages from a pushed frame
// before typing reads who wrote them). attachments.mjs is loaded by the attach form itself.
//
//   DOM-free, unit-tested in node: outbox.mjs, change-mark.mjs, message-order.mjs, protocol.mjs, reaction-rules.mjs
//   shared: dom.mjs (elements and small DOM helpers), socket.mjs (the open socket for immediate frames)
import "./js-on.mjs"; // first: the others lay the page out with JavaScript on
import "./live-room.mjs";
import "./local-times.mjs";
import "./scrolling.mjs";
import "./trimming.mjs";
import "./composer.mjs";
import "./message-actions.mjs";
import "./typing.mjs";
import "./presence.mjs";
import "./read-marks.mjs";
import "./notifications.mjs";
import "./mentions.mjs";
import "./room-wide.mjs";
import "./rooms-nav.mjs";
import "./drawer.mjs";
import "./message-keys.mjs";
import "./favicon.mjs";
import "./animations.mjs";
import "./edit-history.mjs";
import "./reactions.mjs";
import "./threads.mjs";
import "./pins.mjs";
