// The thread open beside the room (#thread, Threads/_ThreadPane.cshtml). Replies are messages of the
// room: they arrive on the room's socket into #messages (where CSS hides those not sent to the room
// too), and the open thread's own replies are moved from there into the pane, in seq order, keeping
// their ids, so edits, deletes, reactions and the page's dedupe find them there. Enter sends a reply
// (Shift+Enter a new line). Without JavaScript the pane is the server's, and the form posts.
import { byId, messageList, onReady, seqOf, autosize } from "./dom.mjs";

function pane() {
  return byId("thread");
}

function adopt() {
  const thread = pane();
  const list = messageList();
  const replies = byId("thread-replies");
  if (!thread || !list || !replies) return;
  const parent = thread.getAttribute("data-parent");
  const arrived = list.querySelectorAll(`:scope > article.reply[data-parent="${parent}"]`);
  if (arrived.length === 0) return;
  const follow = replies.scrollHeight - replies.scrollTop - replies.clientHeight < 48;
  for (const article of arrived) {
    if (replies.querySelector(`:scope > #${article.id}`)) {
      article.remove(); // already here ("load older" brought it again)
      continue;
    }
    article.classList.remove("cont");
    // the room list's roving tab stop (message-keys.mjs) does not reach into the thread: every link of a reply is tabbable there
    article.removeAttribute("tabindex");
    for (const el of article.querySelectorAll("[tabindex]")) el.removeAttribute("tabindex");
    const after = Array.from(replies.querySelectorAll(":scope > article[data-seq]")).find((a) => seqOf(a) > seqOf(article));
    replies.insertBefore(article, after || null);
  }
  if (follow) replies.scrollTop = replies.scrollHeight;
  document.dispatchEvent(new CustomEvent("chatter:thread-replies")); // read-marks.mjs watches them here
}

document.addEventListener("htmx:wsAfterMessage", adopt);
document.addEventListener("htmx:afterSettle", adopt);

onReady(() => {
  adopt();
  const replies = byId("thread-replies");
  if (replies) replies.scrollTop = replies.scrollHeight;
  const box = byId("thread-body");
  if (!box) return;
  box.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      if (box.form && box.value.trim() !== "") box.form.requestSubmit();
    }
  });
  box.addEventListener("input", () => autosize(box));
  if (location.pathname.endsWith("/thread")) box.focus();
});
