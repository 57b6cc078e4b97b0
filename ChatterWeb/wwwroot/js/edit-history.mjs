// "(edited)" on a message links to its earlier versions (Messages/Versions.cshtml): a page of its
// own without JavaScript. With it, a click opens the list under the message (htmx.ajax on the
// link's own URL; with HX-Request the server answers the list alone) and a second click closes it;
// aria-expanded says which. A live change to the message replaces the article, list and all, with
// the message as it now is. A click with a modifier key is left to the browser (a new tab).

document.addEventListener("click", (e) => {
  const link = e.target.closest && e.target.closest("article.msg a.edited");
  if (!link || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
  const main = link.closest("article.msg").querySelector(".msg-main");
  if (!main) return;
  e.preventDefault();
  const open = main.querySelector(":scope > .msg-versions");
  if (open) {
    open.remove();
    link.setAttribute("aria-expanded", "false");
    return;
  }
  if (link.getAttribute("aria-expanded") === "true") return; // on its way
  link.setAttribute("aria-expanded", "true");
  // Not answered (offline, refused): the page, which says why.
  link.addEventListener("htmx:afterRequest", (r) => {
    if (!r.detail.successful) window.location.href = link.getAttribute("href");
  }, { once: true });
  window.htmx.ajax("GET", link.getAttribute("href"), { source: link, target: main, swap: "beforeend" });
});
