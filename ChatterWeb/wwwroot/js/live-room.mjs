// The room's live stream (htmx-ext-ws; the server pushes HTML fragments). This module keeps the page
// honest around them: a fresh clientMessageId per message sent, the composer cleared on the server's
// acknowledgement, resume after every (re)open and the unanswered frames sent again, no duplicate or
// out-of-order messages, edits and deletes that never go back in time, and a visible connection
// state. The rules are the DOM-free outbox.mjs, change-mark.mjs and message-order.mjs.
import { Outbox } from "./outbox.mjs";
import { ChangeMark } from "./change-mark.mjs";
import { arrival, changeApplies, reorderMoves } from "./message-order.mjs";
import { newClientMessageId, resumeFrame } from "./protocol.mjs";
import { autosize, byId, changeOf, composer, highestShownSeq, messageList, onReady, seqOf, showStatus } from "./dom.mjs";

const outbox = new Outbox();
const changes = new ChangeMark();

function readChangeMark() {
  const el = byId("change-mark");
  if (el) changes.read(changeOf(el));
}

// Keep #messages in seq order whatever order fragments arrived in.
function restoreOrder() {
  const list = messageList();
  if (!list) return;
  const arts = Array.from(list.querySelectorAll(":scope > article[data-seq]"));
  for (const { move, before } of reorderMoves(arts.map(seqOf))) list.insertBefore(arts[move], arts[before]);
}

function setState(text, cls) {
  const s = byId("conn-state");
  if (!s) return;
  s.textContent = text;
  s.className = "conn-state" + (cls ? " " + cls : "");
  const r = document.querySelector(".room");
  if (r) r.classList.toggle("offline", cls === "down");
}

// An answer to a message frame (#composer-status): an ack names its clientMessageId; an error, or the
// question before an @here/@room that reaches many, answers the oldest.
function answered(frag) {
  const status = frag && frag.firstElementChild;
  if (!status || status.getAttribute("data-reload")) return;
  const ack = status.getAttribute("data-ack");
  if (ack) outbox.acknowledged(ack);
  else if (status.classList.contains("error") || status.getAttribute("data-confirm")) outbox.refused(); // a question (room-wide.mjs) answers it too
}

// A change for a message this page does not show (older than what is loaded): only the number counts.
document.addEventListener("htmx:oobErrorNoTarget", (e) => {
  const el = e.detail && e.detail.content;
  if (el && el.tagName === "ARTICLE") changes.note(changeOf(el));
});

// Before a pushed fragment lands: answers, changes to shown messages, and messages already shown.
document.addEventListener("htmx:oobBeforeSwap", (e) => {
  const target = e.detail.target;
  if (!target) return;
  if (target.id === "composer-status") {
    answered(e.detail.fragment);
  } else if (target.tagName === "ARTICLE") {
    // An edit or delete replacing a message (pushed, or the answer to this page's own edit or delete).
    const next = e.detail.fragment && e.detail.fragment.firstElementChild;
    changes.note(changeOf(next));
    if (next && !changeApplies(changeOf(target), changeOf(next))) e.detail.shouldSwap = false;
  } else if (target.id === "messages") {
    const frag = e.detail.fragment;
    const incoming = frag && frag.querySelectorAll ? frag.querySelectorAll("article[id]") : [];
    for (const article of incoming) {
      const shown = byId(article.id);
      const what = arrival(shown ? changeOf(shown) : undefined, changeOf(article));
      if (what === "replace") shown.replaceWith(article); // a catch-up carrying a newer state of it
      else if (what === "drop") article.remove();
    }
  }
});

document.addEventListener("htmx:wsAfterMessage", () => {
  readChangeMark();
  restoreOrder();
  const status = byId("composer-status");
  if (!status) return;
  const ack = status.getAttribute("data-ack");
  const text = ack ? outbox.takeText(ack) : undefined;
  if (text !== undefined) {
    // the room's composer, or the open thread's (threads.mjs), whichever still holds what was sent
    for (const box of [composer(), byId("thread-body")]) {
      if (box && box.value === text) {
        box.value = "";
        autosize(box);
      }
    }
    status.removeAttribute("data-ack");
  }
  if (status.getAttribute("data-reload") === "true") window.location.reload();
});

// Every message sent gets a fresh id; a resend of the same frame is then stored once.
document.addEventListener("htmx:wsConfigSend", (e) => {
  const params = e.detail.parameters;
  if (!params || params.type !== "message") return;
  const id = newClientMessageId();
  params.clientMessageId = id;
  outbox.composed(id, params.body);
  const status = byId("composer-status");
  if (status && (status.classList.contains("error") || status.getAttribute("data-confirm"))) showStatus("", false);
});

document.addEventListener("htmx:wsAfterSend", (e) => {
  outbox.sent(e.detail.message);
});

// On every (re)open: ask for what this page missed, then send again what the last socket took but
// never answered (before htmx's own queue is flushed).
document.addEventListener("htmx:wsOpen", (e) => {
  setState("", "");
  const ws = e.detail.socketWrapper;
  ws.send(resumeFrame(highestShownSeq(), changes.value));
  const { resend, gaveUp } = outbox.reopened();
  if (gaveUp.length) showStatus("A message could not be sent. It is still in the box if you have not changed it; try again.", true);
  for (const frame of resend) ws.sendImmediately(frame);
});

document.addEventListener("htmx:wsClose", () => setState("Reconnecting…", "down"));
document.addEventListener("htmx:wsError", () => setState("Reconnecting…", "down"));

onReady(readChangeMark);
