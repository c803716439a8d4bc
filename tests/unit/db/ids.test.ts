// Time-ordered ids (UUID version 7): well-formed, increasing within a call and over time,
// carrying their millisecond, unique.
import { timeOrderedIds } from "../../../src/db/ids";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("ids are version 7 UUIDs of the RFC 9562 variant", () => {
  for (const id of timeOrderedIds(500)) expect(id).toMatch(UUID_V7);
});

test("a call's ids are in increasing order, and a later millisecond's sort after them", () => {
  const now = Date.UTC(2026, 11, 7, 9, 0, 0);
  const first = timeOrderedIds(60, now);
  expect([...first].sort()).toEqual(first);
  const later = timeOrderedIds(60, now + 1);
  expect(later[0]! > first.at(-1)!).toBe(true);
});

test("the first 48 bits are the millisecond", () => {
  const now = Date.UTC(2026, 11, 7, 9, 30, 15, 123);
  const [id] = timeOrderedIds(1, now);
  expect(parseInt(id!.replace(/-/g, "").slice(0, 12), 16)).toBe(now);
});

test("ids do not repeat, within a millisecond either", () => {
  const now = Date.now();
  const ids = Array.from({ length: 200 }, () => timeOrderedIds(60, now)).flat();
  expect(new Set(ids).size).toBe(ids.length);
});

test("a call makes at most 4,096 ids (the sequence's 12 bits)", () => {
  expect(timeOrderedIds(4096)).toHaveLength(4096);
  expect(timeOrderedIds(0)).toEqual([]);
  expect(() => timeOrderedIds(4097)).toThrow(RangeError);
});
