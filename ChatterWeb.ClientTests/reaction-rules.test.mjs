// Reactions' frame, "already reacted" and the picker's search.
import { test } from "node:test";
import assert from "node:assert/strict";
import { hasReacted, matchesEmoji, reactionFrame } from "../ChatterWeb/wwwroot/js/reaction-rules.mjs";

test("a reaction frame names the state wanted, never a toggle", () => {
  assert.deepEqual(JSON.parse(reactionFrame(7, "👍", true)), { type: "reaction", seq: 7, emoji: "👍", action: "add" });
  assert.deepEqual(JSON.parse(reactionFrame(7, "👍", false)), { type: "reaction", seq: 7, emoji: "👍", action: "remove" });
});

test("already reacted: a whole id among the reaction's users, not a part of one", () => {
  assert.equal(hasReacted("a1 b2 c3", "b2"), true);
  assert.equal(hasReacted("a1 b22 c3", "b2"), false);
  assert.equal(hasReacted("", "b2"), false);
  assert.equal(hasReacted(undefined, "b2"), false);
  assert.equal(hasReacted("a1", ""), false);
});

test("the picker finds an emoji by any part of its name in any case, or by the emoji itself", () => {
  assert.equal(matchesEmoji("thumbs up", "👍", "THUMB"), true);
  assert.equal(matchesEmoji("thumbs up", "👍", "  up "), true);
  assert.equal(matchesEmoji("thumbs up", "👍", "party"), false);
  assert.equal(matchesEmoji("thumbs up", "👍", "👍"), true);
  assert.equal(matchesEmoji("thumbs up", "👍", ""), true);
  assert.equal(matchesEmoji("thumbs up", "👍", undefined), true);
});
