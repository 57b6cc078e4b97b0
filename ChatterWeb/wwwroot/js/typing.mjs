// "Someone is typing": this page reports its own typing (at most once a second, while the composer
// holds text) and shows others' for 5 s after their last report, or until their message arrives.
// The server sends a hidden #typing-signal swapped by id (docs/PEOPLE.md).
import { composer, onReady, room } from "./dom.mjs";
import { typingFrame } from "./protocol.mjs";
import { sendNow } from "./socket.mjs";

const TypingEveryMs = 1000;
const TypingShownMs = 5000;

const typers = new Map(); // userId -> { name, until }
let lastTypingSent = 0;

function me() {
  const r = room();
  return r ? r.getAttribute("data-me") : null;
}

function render() {
  const el = document.getElementById("typing");
  if (!el) return;
  const now = Date.now();
  const names = [];
  for (const [id, typer] of typers) {
    if (typer.until <= now) typers.delete(id);
    else names.push(typer.name);
  }
  names.sort();
  let text = "";
  if (names.length === 1) text = names[0] + " is typing…";
  else if (names.length === 2) text = names[0] + " and " + names[1] + " are typing…";
  else if (names.length === 3) text = names[0] + ", " + names[1] + " and " + names[2] + " are typing…";
  else if (names.length > 3) text = "Several people are typing…";
  if (el.textContent !== text) el.textContent = text;
}
setInterval(render, 500);

document.addEventListener("htmx:oobBeforeSwap", (e) => {
  const target = e.detail.target;
  const frag = e.detail.fragment;
  if (!target || !frag) return;
  if (target.id === "typing-signal") {
    const el = frag.firstElementChild || frag;
    const id = el.getAttribute && el.getAttribute("data-user-id");
    if (id && id !== me()) {
      typers.set(id, { name: el.getAttribute("data-name") || "Someone", until: Date.now() + TypingShownMs });
      render();
    }
  } else if (target.id === "messages" && frag.querySelectorAll) {
    // A message from someone ends their typing.
    for (const article of frag.querySelectorAll("article[data-author-id]")) typers.delete(article.getAttribute("data-author-id"));
    render();
  }
});

onReady(() => {
  const box = composer();
  if (!box) return;
  box.addEventListener("input", () => {
    const now = Date.now();
    if (box.value.trim() !== "" && now - lastTypingSent >= TypingEveryMs && sendNow(typingFrame())) lastTypingSent = now;
  });
});
