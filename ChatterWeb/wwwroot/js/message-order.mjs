// Which messages a page shows and in what order, as numbers: a message's seq (its place in the
// room) and its change number (data-change: the state it shows; 0 = never edited or deleted).
// DOM-free; live-room.mjs applies the answers. Unit-tested in node (ChatterWeb.ClientTests).

/** The highest seq among those shown (0 when none): what resume and "read to here" report. */
export function highestSeq(seqs) {
  let max = 0;
  for (const seq of seqs) if (seq > max) max = seq;
  return max;
}

/**
 * A room open for hours in a busy channel must not grow without bound. Once more than `MaxShown`
 * messages are shown while the reader is at the bottom, the oldest go until `KeptShown` remain
 * ("load older" brings them back); the gap between the two keeps the trimming to one pass every
 * hundred messages, not one per message.
 */
export const MaxShown = 300;
export const KeptShown = 200;

/** How many of the oldest shown messages to remove when `shown` are on the page (0: none). */
export function toTrim(shown) {
  return shown > MaxShown ? shown - KeptShown : 0;
}

/**
 * What to do with an article arriving in a batch of messages (a live push or the catch-up after a
 * resume) given the change number of the same message on the page (undefined: not shown):
 * "add" it, "replace" the shown one with it (a newer state: edited or deleted since), or "drop" it.
 */
export function arrival(shownChange, incomingChange) {
  if (shownChange === undefined) return "add";
  return incomingChange > shownChange ? "replace" : "drop";
}

/** Whether a change (an edit or delete replacing a shown message) applies: never an older state over a newer one. */
export function changeApplies(shownChange, incomingChange) {
  return !(incomingChange < shownChange);
}

/**
 * The moves that put shown messages back in seq order after fragments arrived out of order (a
 * resume's replay racing live pushes): each { move, before } moves the message at index `move`
 * right before the one at index `before` (indices into `seqs`, applied in order). A message that
 * arrived late goes before the first one above it; the rest, and anything between them (the
 * "load older" control, the unread divider), stay where they are. No moves when in order.
 */
export function reorderMoves(seqs) {
  const placed = []; // indices in order so far
  const moves = [];
  for (let i = 0; i < seqs.length; i++) {
    const seq = seqs[i];
    if (placed.length === 0 || seqs[placed[placed.length - 1]] <= seq) {
      placed.push(i);
      continue;
    }
    const at = firstAbove(placed, seqs, seq);
    moves.push({ move: i, before: placed[at] });
    placed.splice(at, 0, i);
  }
  return moves;
}

// The position in `placed` (indices in seq order) of the first seq above `seq`.
function firstAbove(placed, seqs, seq) {
  let lo = 0;
  let hi = placed.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (seqs[placed[mid]] > seq) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
