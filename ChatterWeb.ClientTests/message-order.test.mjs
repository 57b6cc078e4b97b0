// Which messages a page shows and in what order: the highest seq, dedupe of arriving articles,
// changes that never go back in time, and where a late seq goes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { KeptShown, MaxShown, arrival, changeApplies, highestSeq, reorderMoves, toTrim } from "../ChatterWeb/wwwroot/js/message-order.mjs";

// Applies the moves to a copy of the list the way the page applies them to its elements.
function apply(seqs, moves) {
  const items = seqs.map((seq, index) => ({ seq, index }));
  for (const { move, before } of moves) {
    const moving = items.findIndex((i) => i.index === move);
    const [item] = items.splice(moving, 1);
    items.splice(items.findIndex((i) => i.index === before), 0, item);
  }
  return items.map((i) => i.seq);
}

test("the highest seq shown is the highest, not the last in the page", () => {
  assert.equal(highestSeq([3, 9, 4]), 9);
  assert.equal(highestSeq([1, 2, 3]), 3);
  assert.equal(highestSeq([]), 0);
  assert.equal(highestSeq([0, 0]), 0);
});

test("an article the page does not show is added", () => {
  assert.equal(arrival(undefined, 0), "add");
  assert.equal(arrival(undefined, 5), "add");
});

test("an article the page shows already is dropped, unless it carries a newer state", () => {
  assert.equal(arrival(0, 0), "drop"); // the same message twice (resume replay racing the live push)
  assert.equal(arrival(4, 4), "drop");
  assert.equal(arrival(4, 2), "drop"); // an older state
  assert.equal(arrival(0, 3), "replace"); // edited or deleted since the page got it
  assert.equal(arrival(4, 5), "replace");
});

test("a change replaces a message unless the page shows a newer state", () => {
  assert.equal(changeApplies(0, 1), true);
  assert.equal(changeApplies(3, 3), true); // the same change twice (socket and HTTP answer): harmless
  assert.equal(changeApplies(5, 4), false); // two changes crossing: the older never wins
});

test("messages in order need no moves", () => {
  assert.deepEqual(reorderMoves([]), []);
  assert.deepEqual(reorderMoves([1, 2, 3, 10]), []);
  assert.deepEqual(reorderMoves([4, 4]), []);
});

test("a late message goes right before the first one above it, and nothing else moves", () => {
  const moves = reorderMoves([1, 2, 4, 5, 3]);
  assert.deepEqual(moves, [{ move: 4, before: 2 }]);
  assert.deepEqual(apply([1, 2, 4, 5, 3], moves), [1, 2, 3, 4, 5]);
});

test("a late message with the seq of a shown one goes after it: equal seqs keep their order", () => {
  assert.deepEqual(reorderMoves([2, 5, 2]), [{ move: 2, before: 1 }]);
});

test("any arrival order ends in seq order", () => {
  for (const seqs of [[3, 1, 2], [5, 4, 3, 2, 1], [2, 1, 4, 3, 6, 5], [10, 1, 11, 2, 12, 3], [1, 3, 2, 3, 1]]) {
    assert.deepEqual(apply(seqs, reorderMoves(seqs)), [...seqs].sort((a, b) => a - b), String(seqs));
  }
  const random = Array.from({ length: 200 }, (_, i) => (i * 7919) % 200);
  assert.deepEqual(apply(random, reorderMoves(random)), [...random].sort((a, b) => a - b));
});

test("a page keeps at most MaxShown messages, trimming down to KeptShown in one pass", () => {
  assert.equal(toTrim(0), 0);
  assert.equal(toTrim(MaxShown), 0);
  assert.equal(toTrim(MaxShown + 1), MaxShown + 1 - KeptShown);
  assert.equal(toTrim(10_000), 10_000 - KeptShown);
  assert.ok(KeptShown < MaxShown, "a gap between the two, so trimming is not one pass per message");
  assert.ok(KeptShown >= 50, "at least a page of messages stays, as the server sends on a fresh load");
});
