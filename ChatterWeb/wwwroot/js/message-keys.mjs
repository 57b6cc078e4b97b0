// The message list from the keyboard: one Tab stop (a roving tabindex: the last message, or the one
// last focused), the arrow keys, Home and End move between messages, Tab from a message reaches its
// actions, and Up in an empty composer edits your own last message. Without JavaScript every link is
// in the tab order, as any page's.
import { composer, messageList, onReady } from "./dom.mjs";

let current = null; // the message that holds the list's Tab stop
let chosen = false; // the reader moved to it: until then the Tab stop follows the newest message

function articles() {
  const list = messageList();
  return list ? Array.from(list.querySelectorAll(":scope > article[data-seq]")) : [];
}

// Only the current message and its actions are in the tab order.
function tabStops(article, inOrder) {
  article.tabIndex = inOrder ? 0 : -1;
  for (const a of article.querySelectorAll(".msg-actions a, .body a, .attachment a")) a.tabIndex = inOrder ? 0 : -1;
}

function makeCurrent(article) {
  if (!article || article === current) return;
  if (current && current.isConnected) tabStops(current, false);
  current = article;
  tabStops(article, true);
}

// New messages (pushed, loaded older, replaced by an edit) join the list out of the tab order.
function adopt() {
  const all = articles();
  for (const a of all) if (a !== current) tabStops(a, false);
  if (!current || !current.isConnected || !chosen) {
    if (current && !current.isConnected) { current = null; chosen = false; }
    makeCurrent(all[all.length - 1]);
  }
}

document.addEventListener("htmx:wsAfterMessage", adopt);
document.addEventListener("htmx:afterSettle", adopt);
onReady(adopt);

document.addEventListener("focusin", (e) => {
  const article = e.target.closest && e.target.closest("#messages > article[data-seq]");
  if (article) {
    chosen = true;
    makeCurrent(article);
  }
});

document.addEventListener("keydown", (e) => {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
  const box = composer();
  if (e.key === "ArrowUp" && e.target === box && box.value === "") {
    // Up in an empty composer: edit your own last message.
    const me = document.querySelector("main.room") && document.querySelector("main.room").getAttribute("data-me");
    const mine = articles().filter((a) => a.getAttribute("data-author-id") === me && !a.classList.contains("deleted"));
    const edit = mine.length ? mine[mine.length - 1].querySelector(".msg-edit") : null;
    if (edit) {
      e.preventDefault();
      edit.click();
    }
    return;
  }
  if (e.target.tagName !== "ARTICLE" || !e.target.closest("#messages")) return;
  const all = articles();
  const at = all.indexOf(e.target);
  const to = e.key === "ArrowUp" ? at - 1 : e.key === "ArrowDown" ? at + 1 : e.key === "Home" ? 0 : e.key === "End" ? all.length - 1 : -2;
  if (to === -2) return;
  e.preventDefault();
  if (to < 0 || to >= all.length) return;
  makeCurrent(all[to]);
  all[to].focus();
});
