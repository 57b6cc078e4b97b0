// Actions on one message (the plain links in .msg-actions, written by Messages/MessageActions.cs).
// Edit and Delete go through htmx (htmx.ajax on the link's own URL, so no message carries attributes
// for actions taken on a few): Edit fetches the form into the message, Delete asks, then posts with
// the page's antiforgery token and swaps the answer in by the message's id. This module also copies
// the permalink for Link, keeps one editor per message with the caret at the end, makes Enter save
// and Escape cancel, shows errors, and leaves a click with a modifier key to the browser (a new tab).
// Without JavaScript each action is a plain link to a form page. The server checks every right again;
// the page's CSS only decides which links are shown.

function articleOf(el) {
  return el && el.closest ? el.closest("article.msg") : null;
}

function copyLink(link) {
  const url = new URL(link.getAttribute("href"), location.href).href;
  const done = () => {
    const old = link.textContent;
    link.textContent = "Copied";
    setTimeout(() => { link.textContent = old; }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(url).then(done, () => window.prompt("Copy this link", url));
  else window.prompt("Copy this link", url);
}

function closeEditor(article) {
  if (!article) return;
  const form = article.querySelector(".msg-edit-form");
  if (form) form.remove();
  article.classList.remove("editing");
  const edit = article.querySelector(".msg-edit");
  if (edit) edit.focus();
}

function editStatus(form, text) {
  const status = form.querySelector(".edit-status");
  if (!status) return;
  status.textContent = text;
  status.className = "edit-status error";
}

// The page's antiforgery token: every signed-in page has one, in the sign-out form of its header.
function token() {
  const input = document.querySelector("input[name=__RequestVerificationToken]");
  return input ? input.value : "";
}

document.addEventListener("click", (e) => {
  const link = e.target.closest && e.target.closest(".msg-actions a");
  if (!link || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return; // the browser's way (a new tab or window)
  const article = articleOf(link);
  const url = link.getAttribute("href");
  if (link.classList.contains("msg-link")) {
    e.preventDefault();
    copyLink(link);
  } else if (link.classList.contains("msg-edit") && article) {
    e.preventDefault();
    window.htmx.ajax("GET", url, { source: link, target: article.querySelector(".msg-main"), swap: "beforeend" });
  } else if (link.classList.contains("msg-delete") && article) {
    e.preventDefault();
    if (!window.confirm("Delete this message? This cannot be undone.")) return;
    // The answer (the article) replaces #m-{seq} wherever it is by then: the live frame of the same
    // change may have replaced the article the link was in.
    window.htmx.ajax("POST", url, { source: link, swap: "none", selectOOB: "#" + article.id, values: { __RequestVerificationToken: token() } });
  }
});

// The Edit link's answer: the form, now in the message. No form (refused, offline): the form page.
function formArrived(e) {
  const link = e.currentTarget;
  const article = articleOf(link);
  const form = e.detail.successful && article && article.querySelector(".msg-edit-form");
  if (!form) {
    window.location.href = link.getAttribute("href");
    return;
  }
  // htmx makes swapped content live only when it settles (20 ms on): a quick Enter would otherwise
  // submit the form the browser's way.
  window.htmx.process(form);
  article.classList.add("editing");
  const box = form.querySelector("textarea");
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
}

// The editor's answer. Saved: the article (already swapped in by its id) replaced the editor.
function saved(e) {
  const form = e.currentTarget;
  const xhr = e.detail.xhr;
  if (e.detail.successful && xhr.status === 204) {
    closeEditor(articleOf(form)); // nothing changed
  } else if (e.detail.successful) {
    const edit = document.querySelector("#m-" + form.getAttribute("data-seq") + " .msg-edit");
    if (edit) edit.focus();
  } else {
    editStatus(form, xhr && xhr.status ? xhr.responseText || "The message could not be saved." : "The message could not be saved (offline?). Try again.");
  }
}

function deleted(e) {
  const xhr = e.detail.xhr;
  if (!e.detail.successful && xhr && xhr.status) window.alert(xhr.responseText || "The message could not be deleted.");
}

const answers = { "msg-edit": formArrived, "msg-edit-form": saved, "msg-delete": deleted };

// Each action's answer is handled by a listener put on the element that sent it, as it sends: htmx
// reports the answer on that element, and a live frame may have replaced its article meanwhile
// (the same edit, pushed), after which the report no longer reaches the document.
document.addEventListener("htmx:beforeRequest", (e) => {
  const elt = e.detail.elt;
  if (!elt.classList) return;
  if (elt.classList.contains("msg-edit")) {
    // An editor open already: back to it, no second one.
    const open = articleOf(elt) && articleOf(elt).querySelector(".msg-edit-form textarea");
    if (open) {
      e.preventDefault();
      open.focus();
      return;
    }
  }
  for (const [cls, answer] of Object.entries(answers)) {
    if (elt.classList.contains(cls)) elt.addEventListener("htmx:afterRequest", answer, { once: true });
  }
});

document.addEventListener("click", (e) => {
  const cancel = e.target.closest && e.target.closest(".msg-edit-form .edit-cancel");
  const article = articleOf(cancel);
  if (!article) return; // on the edit page the link goes back to the message
  e.preventDefault();
  closeEditor(article);
});

document.addEventListener("keydown", (e) => {
  const box = e.target;
  if (!box.closest || !box.closest(".msg-edit-form")) return;
  if (e.key === "Escape") {
    e.preventDefault();
    if (articleOf(box)) closeEditor(articleOf(box));
    else {
      // The edit page of its own: Escape is its Cancel link, back to the message.
      const cancel = box.closest(".msg-edit-form").querySelector(".edit-cancel");
      if (cancel) location.assign(cancel.href);
    }
  } else if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    box.form.requestSubmit();
  }
});
