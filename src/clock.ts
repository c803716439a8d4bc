// Time comes in through a Clock so tests control deadlines.
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };
