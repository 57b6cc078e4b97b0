// "Read up to here": the highest seq whose message has been on screen while the page was visible,
// reported at most once a second (a busy room would otherwise send one per message). The server
// keeps the read marks behind unread badges and the "new messages" divider (docs/PEOPLE.md); a
// message below the fold, or arriving in a hidden tab, stays unread until it has been seen. A reply
// read in the open thread (#thread-replies, threads.mjs) counts as seen like one in the room.
import { byId, messageList, onReady, pane, seqOf } from "./dom.mjs";
import { readFrame } from "./protocol.mjs";
import { isOpen, sendNow } from "./socket.mjs";

const ReadEveryMs = 1000;

let seen = 0; // the highest seq that has been on screen in a visible page
let readSent = 0; // the highest seq reported on this socket
let readSentAt = 0;
let readTimer = null;
const onScreen = new Set(); // the articles in view now
let watcher = null;
let threadWatcher = null; // the same, for the open thread's replies

function saw(article) {
  const seq = seqOf(article);
  if (seq > seen) seen = seq;
}

function maybeRead() {
  if (!isOpen() || document.visibilityState !== "visible" || seen <= readSent) return;
  const wait = readSentAt + ReadEveryMs - Date.now();
  if (wait > 0) {
    if (!readTimer) readTimer = setTimeout(() => { readTimer = null; maybeRead(); }, wait);
    return;
  }
  if (sendNow(readFrame(seen))) {
    readSent = seen;
    readSentAt = Date.now();
  }
}

// Watches the articles not watched yet (new ones come with pushed frames and "load older"); a reply
// moved into the open thread is watched again there.
function watchIn(list, by, mark) {
  if (!by || !list) return;
  for (const article of list.querySelectorAll(`:scope > article[data-seq]:not([data-watched="${mark}"])`)) {
    article.setAttribute("data-watched", mark);
    by.observe(article);
  }
}

function watchNew() {
  watchIn(messageList(), watcher, "room");
  watchIn(byId("thread-replies"), threadWatcher, "thread");
}

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState !== "visible") return;
  for (const article of onScreen) saw(article);
  maybeRead();
});
document.addEventListener("htmx:wsAfterMessage", watchNew);
document.addEventListener("htmx:afterSettle", watchNew);
document.addEventListener("chatter:thread-replies", watchNew);
document.addEventListener("htmx:wsOpen", () => {
  readSent = 0;
  setTimeout(maybeRead, 300);
});

// Seen: at least half of it inside the pane, or, for one taller than the pane, half the pane.
function observer(root) {
  return new IntersectionObserver((entries, self) => {
    for (const e of entries) {
      if (!e.target.isConnected) {
        self.unobserve(e.target); // trimmed or replaced: let it go
        onScreen.delete(e.target);
        continue;
      }
      const enough = e.intersectionRatio >= 0.5 || (e.rootBounds && e.intersectionRect.height >= e.rootBounds.height / 2);
      if (!enough) {
        onScreen.delete(e.target);
        continue;
      }
      onScreen.add(e.target);
      if (document.visibilityState === "visible") saw(e.target);
    }
    maybeRead();
  }, { root, threshold: [0, 0.25, 0.5, 0.75, 1] });
}

onReady(() => {
  const p = pane();
  if (!p || !("IntersectionObserver" in window)) return;
  watcher = observer(p);
  const thread = byId("thread-replies");
  if (thread) threadWatcher = observer(thread);
  watchNew();
});
