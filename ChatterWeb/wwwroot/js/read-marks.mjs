// "Read up to here": while the page is visible and scrolled to the bottom, it reports the highest
// seq it shows, at most once a second (a busy room would otherwise send one per message). The
// server keeps the read marks behind unread badges and the "new messages" divider (docs/PEOPLE.md).
import { atBottom, highestShownSeq, onReady, pane } from "./dom.mjs";
import { readFrame } from "./protocol.mjs";
import { isOpen, sendNow } from "./socket.mjs";

const ReadEveryMs = 1000;

let readSent = 0; // the highest seq reported from this page on this socket
let readSentAt = 0;
let readTimer = null;

function maybeRead() {
  const p = pane();
  if (!p || !isOpen() || document.visibilityState !== "visible" || !atBottom(p)) return;
  const seq = highestShownSeq();
  if (seq <= readSent) return;
  const wait = readSentAt + ReadEveryMs - Date.now();
  if (wait > 0) {
    if (!readTimer) readTimer = setTimeout(() => { readTimer = null; maybeRead(); }, wait);
    return;
  }
  if (sendNow(readFrame(seq))) {
    readSent = seq;
    readSentAt = Date.now();
  }
}

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") maybeRead();
});
document.addEventListener("htmx:wsAfterMessage", () => setTimeout(maybeRead, 0));
document.addEventListener("htmx:wsOpen", () => {
  readSent = 0;
  setTimeout(maybeRead, 300);
});

onReady(() => {
  const p = pane();
  if (!p) return;
  let t = null;
  p.addEventListener("scroll", () => { clearTimeout(t); t = setTimeout(maybeRead, 150); }, { passive: true });
});
