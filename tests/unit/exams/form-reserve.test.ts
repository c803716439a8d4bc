// The reserve of forms drawn ahead of a start burst: filled while quiet, each form given out
// once, not refilled during a burst, bounded by a budget shared across reserves.
import { FormReserve, type ReserveBudget } from "../../../src/modules/exams/form-reserve";

// Fake timers (Date.now, setTimeout and setImmediate alike): what counts is the order of takes
// and quiet periods, not how fast the machine running the test is.
beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

const QUIET = 30;
const wait = (ms: number) => jest.advanceTimersByTime(ms);
/** Long enough for a quiet period and the fill's turns of the event loop. */
const settle = () => wait(QUIET * 4);

function counter() {
  let n = 0;
  return { draw: () => ({ form: (n += 1) }), drawn: () => n };
}

test("fills to its size once quiet, and gives each form out once", () => {
  const source = counter();
  const reserve = new FormReserve({ ...source, size: 20, quietMs: QUIET, budget: { held: 0, max: 100 }, batch: 3 });
  reserve.fillWhenQuiet();
  expect(reserve.held).toBe(0);
  settle();
  expect(reserve.held).toBe(20);
  expect(source.drawn()).toBe(20);
  const taken = Array.from({ length: 20 }, () => reserve.take()!.form);
  expect(new Set(taken).size).toBe(20);
  expect(reserve.take()).toBeUndefined();
  reserve.stop();
});

test("a burst is served from the reserve and not refilled during it", () => {
  const source = counter();
  const reserve = new FormReserve({ ...source, size: 10, quietMs: QUIET, budget: { held: 0, max: 100 } });
  reserve.fillWhenQuiet();
  settle();
  for (let i = 0; i < 6; i += 1) {
    expect(reserve.take()).toBeDefined();
    wait(QUIET / 3);
  }
  // Takes kept coming faster than the quiet period: nothing was drawn during them.
  expect(source.drawn()).toBe(10);
  expect(reserve.held).toBe(4);
  settle();
  expect(reserve.held).toBe(10);
  expect(source.drawn()).toBe(16);
  reserve.stop();
});

test("reserves sharing a budget hold no more than it allows together", () => {
  const budget: ReserveBudget = { held: 0, max: 7 };
  const a = new FormReserve({ ...counter(), size: 5, quietMs: QUIET, budget });
  const b = new FormReserve({ ...counter(), size: 5, quietMs: QUIET, budget });
  a.fillWhenQuiet();
  b.fillWhenQuiet();
  settle();
  expect(a.held + b.held).toBe(7);
  expect(budget.held).toBe(7);
  a.take();
  expect(budget.held).toBe(6);
  a.stop();
  expect(budget.held).toBe(b.held);
  b.stop();
  expect(budget.held).toBe(0);
});

test("a stopped reserve holds nothing and fills no more", () => {
  const source = counter();
  const reserve = new FormReserve({ ...source, size: 5, quietMs: QUIET, budget: { held: 0, max: 100 } });
  reserve.fillWhenQuiet();
  settle();
  reserve.stop();
  expect(reserve.held).toBe(0);
  expect(reserve.take()).toBeUndefined();
  settle();
  expect(reserve.held).toBe(0);
  expect(source.drawn()).toBe(5);
});

test("a draw that fails leaves the reserve empty, for the start to draw (and fail) itself", () => {
  const budget: ReserveBudget = { held: 0, max: 100 };
  const reserve = new FormReserve({
    draw: () => {
      throw new Error("no questions");
    },
    size: 5,
    quietMs: QUIET,
    budget,
  });
  reserve.fillWhenQuiet();
  settle();
  expect(reserve.take()).toBeUndefined();
  expect(budget.held).toBe(0);
  reserve.stop();
});
