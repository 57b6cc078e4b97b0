// Where the conversation pane is scrolled: the linked message, the unread divider or the bottom on
// load; following the bottom as messages arrive but never yanking a reader out of history (a
// "New messages" pill counts what arrived below them instead); keeping the reader's place when older
// messages load above; loading older ones at the top.
import { atBottom, byId, highestShownSeq, messageList, onReady, pane, scrollToBottom, shownArticles, seqOf } from "./dom.mjs";

let wasAtBottom = true;
let highestBefore = 0;
let fromBottom = null;
let unseen = 0; // messages that arrived below a reader who was not at the bottom

function showPill() {
  const pill = byId("new-pill");
  if (!pill) return;
  pill.hidden = unseen === 0;
  pill.firstChild.textContent = unseen === 1 ? "1 new message " : unseen + " new messages ";
}

function backAtBottom() {
  if (unseen === 0) return;
  unseen = 0;
  showPill();
}

// A pushed frame is about to be swapped in: was the reader at the bottom? Asked once per frame,
// before any of it lands (a frame can hold many messages, each swapped on its own: after the first,
// the pane is no longer at the bottom), and for every frame, so one that adds no message (typing,
// presence) does not pull a reader out of history.
document.addEventListener("htmx:wsBeforeMessage", () => {
  const p = pane();
  wasAtBottom = p ? atBottom(p) : true;
  if (!wasAtBottom) highestBefore = highestShownSeq();
});

document.addEventListener("htmx:wsAfterMessage", () => {
  if (wasAtBottom) {
    scrollToBottom();
    return;
  }
  // a reply only in its thread is not shown in the room (threads.mjs), so it is not new here
  const arrived = shownArticles().filter((a) => seqOf(a) > highestBefore && !a.matches(".reply:not(.in-room)")).length;
  if (arrived === 0) return;
  unseen += arrived;
  showPill();
});

// "Load older": keep the reader's place when older messages are added above.
document.addEventListener("htmx:beforeSwap", (e) => {
  const p = pane();
  if (p && e.detail.target && e.detail.target.id === "older") fromBottom = p.scrollHeight - p.scrollTop;
});

document.addEventListener("htmx:afterSettle", () => {
  const p = pane();
  if (p && fromBottom !== null) {
    p.scrollTop = p.scrollHeight - fromBottom;
    fromBottom = null;
  }
});

const permalinkHash = /^#m-\d+$/;

function place(p) {
  const list = messageList();
  const focus = list && list.getAttribute("data-focus");
  const target = focus && document.getElementById("m-" + focus);
  if (target) {
    target.classList.add("focused");
    target.scrollIntoView({ block: "center" });
    // Once everything has loaded, centre it again unless the reader has moved (a late layout
    // change, e.g. the stylesheet or fonts on a slow load, can leave it out of view).
    if (document.readyState !== "complete") {
      const placed = p.scrollTop;
      window.addEventListener("load", () => {
        if (Math.abs(p.scrollTop - placed) < 2) target.scrollIntoView({ block: "center" });
      }, { once: true });
    }
  } else if (permalinkHash.test(location.hash) && document.getElementById(location.hash.slice(1))) {
    document.getElementById(location.hash.slice(1)).scrollIntoView({ block: "center" });
  } else {
    scrollToBottom();
  }
  // Opening a room with unread messages: start at the divider, not the bottom (unless a permalink says otherwise).
  const divider = document.getElementById("unread-divider");
  if (divider && !permalinkHash.test(location.hash)) divider.scrollIntoView({ block: "start" });
}

onReady(() => {
  const p = pane();
  if (!p) return;
  place(p);
  // Scrolling to the top loads older messages, as clicking "Load older" does; back at the bottom, the pill goes.
  p.addEventListener("scroll", () => {
    if (atBottom(p)) backAtBottom();
    if (p.scrollTop > 80) return;
    const link = document.querySelector("#older a");
    if (link && !link.classList.contains("htmx-request")) link.click();
  }, { passive: true });
  const pill = byId("new-pill");
  if (pill) pill.addEventListener("click", () => {
    scrollToBottom();
    backAtBottom();
  });
});
