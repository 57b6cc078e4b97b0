// Actions on one message: copy its link, edit it in place, delete it; and the permalink page's
// "load newer". Messages sit inside hx-disable (user content), so these are plain listeners and
// fetch calls, not htmx attributes. Each action is also a plain link that works without JavaScript.
// The server checks every right again; the page's CSS only decides which links are shown.
(function () {
  "use strict";

  function token() {
    var input = document.querySelector("input[name=__RequestVerificationToken]");
    return input ? input.value : "";
  }

  function articleOf(el) { return el.closest ? el.closest("article.msg") : null; }

  function changeOf(el) { return (el && parseInt(el.getAttribute("data-change"), 10)) || 0; }

  // Swap in the article the server answered with, unless the page already shows a newer state.
  function replaceArticle(html) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html.trim();
    var next = tpl.content.firstElementChild;
    if (!next || next.tagName !== "ARTICLE") return;
    var shown = document.getElementById(next.id);
    if (shown && changeOf(shown) <= changeOf(next)) shown.replaceWith(next);
    var time = next.querySelector("time[datetime]");
    if (time) {
      var d = new Date(time.getAttribute("datetime"));
      if (!isNaN(d)) { time.textContent = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }); time.title = d.toLocaleString(); }
    }
    return next;
  }

  function post(url, fields) {
    var body = new URLSearchParams();
    body.append("__RequestVerificationToken", token());
    for (var k in fields) body.append(k, fields[k]);
    return fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "HX-Request": "true" } });
  }

  function copyLink(link) {
    var url = new URL(link.getAttribute("href"), location.href).href;
    var done = function () {
      var old = link.textContent;
      link.textContent = "Copied";
      setTimeout(function () { link.textContent = old; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(url).then(done, function () { window.prompt("Copy this link", url); });
    else window.prompt("Copy this link", url);
  }

  function closeEditor(article) {
    var form = article.querySelector(".msg-edit-form");
    if (form) form.remove();
    article.classList.remove("editing");
    var edit = article.querySelector(".msg-edit");
    if (edit) edit.focus();
  }

  function openEditor(article, link) {
    if (article.querySelector(".msg-edit-form")) { article.querySelector(".msg-edit-form textarea").focus(); return; }
    fetch(link.getAttribute("href"), { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (r) { if (!r.ok) throw new Error("status " + r.status); return r.text(); })
      .then(function (html) {
        var tpl = document.createElement("template");
        tpl.innerHTML = html.trim();
        var form = tpl.content.querySelector("form.msg-edit-form");
        if (!form) return;
        article.querySelector(".msg-main").appendChild(form);
        article.classList.add("editing");
        var box = form.querySelector("textarea");
        box.focus();
        box.setSelectionRange(box.value.length, box.value.length);
      })
      .catch(function () { window.location.href = link.getAttribute("href"); });
  }

  function saveEdit(form) {
    var article = articleOf(form);
    var status = form.querySelector(".edit-status");
    var box = form.querySelector("textarea");
    post(form.getAttribute("action"), { body: box.value }).then(function (r) {
      if (r.status === 204) { closeEditor(article); return; }
      return r.text().then(function (text) {
        if (r.ok) { var next = replaceArticle(text); if (next) { var e = next.querySelector(".msg-edit"); if (e) e.focus(); } return; }
        status.textContent = text || "The message could not be saved.";
        status.className = "edit-status error";
      });
    }, function () {
      status.textContent = "The message could not be saved (offline?). Try again.";
      status.className = "edit-status error";
    });
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest(".msg-actions a, .newer a");
    if (!link || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    var article = articleOf(link);
    if (link.classList.contains("msg-link")) { e.preventDefault(); copyLink(link); }
    else if (link.classList.contains("msg-edit") && article) { e.preventDefault(); openEditor(article, link); }
    else if (link.classList.contains("msg-delete") && article) {
      e.preventDefault();
      if (!window.confirm("Delete this message? This cannot be undone.")) return;
      post(link.getAttribute("href"), {}).then(function (r) {
        if (r.ok) return r.text().then(replaceArticle);
        return r.text().then(function (t) { window.alert(t || "The message could not be deleted."); });
      });
    }
  });

  document.addEventListener("click", function (e) {
    var cancel = e.target.closest && e.target.closest(".msg-edit-form .edit-cancel");
    if (!cancel) return;
    e.preventDefault();
    closeEditor(articleOf(cancel));
  });

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.classList || !form.classList.contains("msg-edit-form") || !articleOf(form)) return;
    e.preventDefault();
    saveEdit(form);
  });

  document.addEventListener("keydown", function (e) {
    var box = e.target;
    if (!box.closest || !box.closest(".msg-edit-form")) return;
    if (e.key === "Escape") { e.preventDefault(); closeEditor(articleOf(box)); }
    else if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); box.form.requestSubmit(); }
  });
})();
