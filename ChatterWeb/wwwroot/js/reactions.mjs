// Reactions (Reactions/ on the server). Without JavaScript a reaction under a message is a submit
// button of the page's token form (it toggles by POST and lands on the permalink) and "React" is a
// link to a picker page. With it and an open socket, both send a `reaction` frame instead and the
// change comes back to every page of the room, this one included, as the message's article. "React"
// opens the picker dialog (#emoji-picker, on the live room page only): search by name, Tab or the
// arrow keys through the emoji, Enter or a click to react, Escape to close; focus goes back to
// the link. With no socket open the plain ways are used.
import { sendNow } from "./socket.mjs";
import { hasReacted, matchesEmoji, reactionFrame } from "./reaction-rules.mjs";

const picker = document.getElementById("emoji-picker");
let targetId = null; // the id of the article the picker reacts to (a change may replace the element meanwhile)
let refocus = null; // what had focus in an article that a change is replacing

function targetArticle() {
  return targetId ? document.getElementById(targetId) : null;
}

function openerLink() {
  const article = targetArticle();
  return article ? article.querySelector(".msg-react") : null;
}

function me() {
  const main = document.querySelector("main[data-me]");
  return main ? main.dataset.me : "";
}

function chipOf(article, emoji) {
  for (const chip of article.querySelectorAll(".reactions .reaction")) if (chip.value === emoji) return chip;
  return null;
}

/** Sends the reaction; false when no socket is open (the caller then lets the plain way happen). */
function react(article, emoji) {
  const seq = Number(article.dataset.seq);
  if (!seq) return false;
  const chip = chipOf(article, emoji);
  const add = !(chip && hasReacted(chip.dataset.users, me()));
  return sendNow(reactionFrame(seq, emoji, add));
}

function filter() {
  const q = picker.querySelector("input[type=search]").value;
  let shown = 0;
  for (const b of picker.querySelectorAll(".emoji")) {
    const match = matchesEmoji(b.dataset.name, b.dataset.emoji, q);
    b.hidden = !match;
    if (match) shown++;
  }
  picker.querySelector(".emoji-none").hidden = shown > 0;
}

function open(article) {
  targetId = article.id;
  const search = picker.querySelector("input[type=search]");
  search.value = "";
  filter();
  picker.showModal();
  search.focus();
}

function close() {
  if (picker.open) picker.close();
}

document.addEventListener("click", (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
  const el = e.target.closest ? e.target : null;
  if (!el) return;
  const link = el.closest(".msg-react");
  if (link && picker && document.body.getAttribute("data-stream") === "open") {
    const article = link.closest("article.msg");
    if (article) {
      e.preventDefault();
      open(article);
    }
    return;
  }
  const chip = el.closest("button.reaction");
  if (chip) {
    const article = chip.closest("article.msg");
    if (article && react(article, chip.value)) e.preventDefault();
  }
});

if (picker) {
  picker.addEventListener("input", filter);
  picker.addEventListener("click", (e) => {
    if (e.target.closest(".emoji-close")) {
      close();
      return;
    }
    const b = e.target.closest(".emoji");
    const article = targetArticle();
    if (!b || !article) return;
    if (!react(article, b.dataset.emoji)) {
      // no socket: the picker page does it the plain way
      const link = openerLink();
      if (link) location.href = link.href;
      return;
    }
    close();
  });
  picker.addEventListener("keydown", (e) => {
    // Enter in the search reacts with the first match
    if (e.key === "Enter" && e.target.matches("input[type=search]")) {
      e.preventDefault();
      const first = [...picker.querySelectorAll(".emoji")].find((b) => !b.hidden);
      if (first) first.click();
      return;
    }
    if (!["ArrowRight", "ArrowLeft", "ArrowDown", "ArrowUp"].includes(e.key) || !e.target.matches(".emoji")) return;
    const shown = [...picker.querySelectorAll(".emoji")].filter((b) => !b.hidden);
    const i = shown.indexOf(e.target);
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : e.key === "ArrowDown" ? 8 : -8;
    const next = shown[Math.min(shown.length - 1, Math.max(0, i + step))];
    if (next) {
      e.preventDefault();
      next.focus();
    }
  });
  picker.addEventListener("close", () => {
    const link = openerLink();
    if (link) link.focus();
    targetId = null;
  });
}

// A reaction (or an edit) replaces the whole article; keep the focus on the same control of the new one
// (the React link, the same reaction, or the message when that reaction is gone).
document.addEventListener("htmx:oobBeforeSwap", (e) => {
  const target = e.detail.target;
  const focused = document.activeElement;
  if (!target || target.tagName !== "ARTICLE" || !focused || !target.contains(focused)) return;
  if (focused.matches(".msg-react")) refocus = { id: target.id, selector: ".msg-react" };
  else if (focused.matches("button.reaction")) refocus = { id: target.id, selector: "button.reaction", value: focused.value };
  else refocus = { id: target.id, selector: null };
});

document.addEventListener("htmx:wsAfterMessage", () => {
  if (!refocus) return;
  const { id, selector, value } = refocus;
  refocus = null;
  const article = document.getElementById(id);
  if (!article || article.contains(document.activeElement)) return;
  let el = selector ? [...article.querySelectorAll(selector)].find((x) => value === undefined || x.value === value) : null;
  if (!el) el = article;
  el.focus();
});
