// Reactions' rules, DOM-free (unit-tested in ChatterWeb.ClientTests/reaction-rules.test.mjs):
// the frame a reaction sends, whether the person already reacted, and the picker's search.

/**
 * The socket frame for a reaction: it names the state wanted ("add" or "remove"), never "toggle",
 * so a frame that goes twice (a resend after a reconnect) does what it did once.
 */
export function reactionFrame(seq, emoji, add) {
  return JSON.stringify({ type: "reaction", seq, emoji, action: add ? "add" : "remove" });
}

/** Whether `me` is among a reaction's data-users (ids separated by spaces). */
export function hasReacted(users, me) {
  if (!users || !me) return false;
  return users.split(" ").includes(me);
}

/** The picker's search: the query (trimmed, any case) within the emoji's name, or the emoji itself. */
export function matchesEmoji(name, emoji, query) {
  const q = (query || "").trim().toLowerCase();
  if (q === "") return true;
  return name.toLowerCase().includes(q) || emoji === q;
}
