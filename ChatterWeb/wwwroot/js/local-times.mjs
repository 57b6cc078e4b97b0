// Message times in the reader's own time zone and locale: on load, after every pushed frame and
// after every htmx swap (load older or newer, an edit or delete answered over HTTP), before the
// swapped content settles.
import { localiseTimes, messageList, onReady } from "./dom.mjs";

document.addEventListener("htmx:wsAfterMessage", () => localiseTimes(messageList()));
document.addEventListener("htmx:afterSwap", () => localiseTimes(messageList()));
onReady(() => localiseTimes(document));
