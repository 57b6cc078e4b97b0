// @here and @room that reach many people: the server does not send them but answers with a question
// in #composer-status (ComposerStatus.Confirm). "Send to N people" sends the same form again with
// confirmRoomWide=true (a fresh clientMessageId: the first send stored nothing); "Cancel" drops the
// question and gives the composer back. The question takes the focus, so Enter confirms.
import { byId, composer, showStatus } from "./dom.mjs";

let lastForm = null; // the form (room or thread composer) whose message frame went out last

document.addEventListener("htmx:wsConfigSend", (e) => {
  const params = e.detail && e.detail.parameters;
  if (params && params.type === "message" && e.target && e.target.tagName === "FORM") lastForm = e.target;
});

function confirmAndSend() {
  const form = lastForm && lastForm.isConnected ? lastForm : composer() && composer().form;
  if (!form) return;
  const flag = document.createElement("input");
  flag.type = "hidden";
  flag.name = "confirmRoomWide";
  flag.value = "true";
  form.appendChild(flag);
  try {
    form.requestSubmit(); // htmx-ext-ws reads the fields on submit, synchronously
  } finally {
    flag.remove();
  }
  const box = form.querySelector("textarea");
  if (box) box.focus();
}

document.addEventListener("click", (e) => {
  const button = e.target.closest && e.target.closest("#composer-status .confirm-send, #composer-status .confirm-cancel");
  if (!button) return;
  e.preventDefault();
  if (button.classList.contains("confirm-send")) confirmAndSend();
  else {
    showStatus("", false);
    const box = lastForm && lastForm.isConnected ? lastForm.querySelector("textarea") : composer();
    if (box) box.focus();
  }
});

// The question just arrived: its send button takes the focus.
document.addEventListener("htmx:wsAfterMessage", () => {
  const status = byId("composer-status");
  if (!status || status.getAttribute("data-confirm") !== "true" || status.hasAttribute("data-focused")) return;
  status.setAttribute("data-focused", "true");
  const send = status.querySelector(".confirm-send");
  if (send) send.focus();
});
