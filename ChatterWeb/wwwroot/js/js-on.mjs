// With JavaScript the page drops the rules that stand in for it (<html class="no-js">: a room that
// opens at its end by CSS, hints that only hold with a script). Imported first by page.mjs, so the
// other modules measure and scroll the page as it will be.
document.documentElement.classList.remove("no-js");
