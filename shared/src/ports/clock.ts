/** Where "now" comes from. Tests and the embedded cloud's fast clock inject their own. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
