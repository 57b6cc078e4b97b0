// Pins (Pins/ on the server). Without JavaScript a message's "Pin" or "Unpin" is a link to a page
// whose form pins it by POST and lands on the permalink. With it and an open socket, the link sends a
// `pin` frame instead; the change comes back to every page of the room, this one included, as the
// message's article (with or without its "Pinned" marker) and the header's #pin-count. The count
// carries the change number it is at least as new as (data-change): an older count that arrives
// late never replaces a newer one. With no socket open the plain way is used.
import { sendNow } from "./socket.mjs";
import { changeApplies } from "./message-order.mjs";
import { changeOf } from "./dom.mjs";

let refocus = null; // the id of an article whose Pin link had the focus when a change replaced it

document.addEventListener("click", (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
  const link = e.target.closest && e.target.closest(".msg-pin");
  const article = link && link.closest("article.msg");
  if (!article) return;
  const seq = Number(article.dataset.seq);
  const frame = JSON.stringify({ type: "pin", seq, action: link.dataset.pinned === "true" ? "unpin" : "pin" });
  if (seq && sendNow(frame)) e.preventDefault();
});

document.addEventListener("htmx:oobBeforeSwap", (e) => {
  const target = e.detail.target;
  if (!target) return;
  if (target.id === "pin-count") {
    const next = e.detail.fragment && e.detail.fragment.firstElementChild;
    if (next && !changeApplies(changeOf(target), changeOf(next))) e.detail.shouldSwap = false;
  } else if (target.tagName === "ARTICLE" && document.activeElement && document.activeElement.matches(".msg-pin") && target.contains(document.activeElement)) {
    refocus = target.id;
  }
});

// After reactions.mjs has put the focus back into the replaced article: onto its Pin (or Unpin) link.
document.addEventListener("htmx:wsAfterMessage", () => {
  if (!refocus) return;
  const link = document.querySelector("#" + refocus + " .msg-pin");
  refocus = null;
  if (link) link.focus();
});
