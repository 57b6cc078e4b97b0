// The change mark: the number up to which a page has seen every edit and delete in its room.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ChangeMark } from "../ChatterWeb/wwwroot/js/change-mark.mjs";

test("a page without #change-mark tracks nothing", () => {
  const mark = new ChangeMark();
  mark.note(1);
  mark.note(2);
  assert.equal(mark.value, null);
});

test("the server's mark is taken as it is, and never moves back", () => {
  const mark = new ChangeMark();
  mark.read(0);
  assert.equal(mark.value, 0);
  mark.read(7);
  assert.equal(mark.value, 7);
  mark.read(5);
  assert.equal(mark.value, 7);
});

test("changes in order move the mark one by one", () => {
  const mark = new ChangeMark();
  mark.read(3);
  mark.note(4);
  mark.note(5);
  assert.equal(mark.value, 5);
});

test("a change past a gap waits until the gap closes", () => {
  const mark = new ChangeMark();
  mark.read(3);
  mark.note(6);
  mark.note(5);
  assert.equal(mark.value, 3); // 4 is still missing: resume must replay from 3
  assert.deepEqual(mark.waiting, [5, 6]);
  mark.note(4);
  assert.equal(mark.value, 6);
  assert.deepEqual(mark.waiting, []);
});

test("old and repeated changes leave the mark alone", () => {
  const mark = new ChangeMark();
  mark.read(5);
  mark.note(2);
  mark.note(5);
  mark.note(0);
  assert.equal(mark.value, 5);
});

test("the server's mark closes a gap (the missing number was overwritten) and picks up what was waiting above it", () => {
  const mark = new ChangeMark();
  mark.read(3);
  mark.note(6);
  mark.note(7);
  mark.read(5); // after a resume: every change up to 5 is accounted for
  assert.equal(mark.value, 7);
  mark.note(8);
  assert.equal(mark.value, 8);
});

test("numbers the server's mark passed are forgotten", () => {
  const mark = new ChangeMark();
  mark.read(1);
  mark.note(4);
  mark.note(12);
  assert.deepEqual(mark.waiting, [4, 12]);
  mark.read(10); // 4 is behind the mark now; 12 still waits for 11
  assert.equal(mark.value, 10);
  assert.deepEqual(mark.waiting, [12]);
  mark.note(11);
  assert.equal(mark.value, 12);
  assert.deepEqual(mark.waiting, []);
});
