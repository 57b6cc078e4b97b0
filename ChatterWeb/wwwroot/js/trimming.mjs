// A tab that stays light all day: while the reader follows the bottom of a busy room, the oldest
// messages leave the page once there are too many (message-order.mjs: toTrim), and the "load older"
// control at the top asks for what came before the oldest one left, as it does on a fresh page.
// Someone reading history (not at the bottom) keeps everything until they are back.
import { atBottom, messageList, pane, room, scrollToBottom, seqOf, shownArticles } from "./dom.mjs";
import { toTrim } from "./message-order.mjs";

function olderControl(slug, beforeSeq) {
  const url = "/rooms/" + encodeURIComponent(slug) + "/messages?before=" + beforeSeq;
  const older = document.createElement("div");
  older.id = "older";
  older.className = "older";
  const link = document.createElement("a");
  link.href = url;
  link.setAttribute("hx-get", url);
  link.setAttribute("hx-target", "#older");
  link.setAttribute("hx-swap", "outerHTML");
  link.setAttribute("hx-push-url", "false");
  link.textContent = "Load older messages";
  older.append(link);
  return older;
}

document.addEventListener("htmx:wsAfterMessage", () => {
  const p = pane();
  const list = messageList();
  const slug = room() && room().getAttribute("data-room");
  if (!p || !list || !slug || !atBottom(p)) return;
  const articles = shownArticles();
  const n = toTrim(articles.length);
  if (n === 0) return;
  const keepFrom = articles[n];
  // Everything before the first message kept goes (older messages, an unread divider above them),
  // then the control that loads what was before it.
  while (list.firstChild && list.firstChild !== keepFrom) list.firstChild.remove();
  const older = olderControl(slug, seqOf(keepFrom));
  list.insertBefore(older, keepFrom);
  window.htmx.process(older);
  scrollToBottom();
});
