import { cstDate } from '../calendar/calendar.ts';

/**
 * What a hazard was at a past instant, for the numbers counted "as of" a day's end (the
 * weekly report of a past week): was it past its deadline while rectifying, was it closed?
 * The state keeps the spans that have ended (`history`); the span under way is read from
 * the state itself (rectifying with its round's deadline; closed since `closedAt`).
 * Pure, and free of hazard.ts (which applies it) so that the statistics can read it too.
 */

/** (from, to]: instants (ISO). */
export type PastSpan = readonly [from: string, to: string];

export interface HazardHistory {
  /** Rectifying past the deadline in force: from the deadline until the round ended or moved. */
  overdue?: readonly PastSpan[];
  /** Closed, until a reopening. */
  closed?: readonly PastSpan[];
}

/** What the spans are read from. */
export interface HistoryMoment {
  status: 'reported' | 'rectifying' | 'verifying' | 'closed';
  round: { number?: number; deadline: string } | null;
  closedAt?: string;
  history?: HazardHistory;
}

/**
 * The state after an event, with the spans the event ended: an overdue span when a round
 * past its deadline stops rectifying or its deadline moves (evidence sent, an extension, a
 * closure), a closed span when a closed hazard is reopened.
 */
export function withHistory<State extends HistoryMoment>(
  before: State,
  after: State,
  at: string,
): State {
  let history = before.history;
  const round = before.round;
  const stillSameDeadline =
    after.status === 'rectifying' &&
    after.round?.number === round?.number &&
    after.round?.deadline === round?.deadline;
  if (
    before.status === 'rectifying' &&
    round &&
    Date.parse(round.deadline) <= Date.parse(at) &&
    !stillSameDeadline
  ) {
    // A closure dated before it was recorded (an imported ledger's) ends the span there.
    const closedAt = after.status === 'closed' ? after.closedAt : undefined;
    const end = closedAt && Date.parse(closedAt) < Date.parse(at) ? closedAt : at;
    if (Date.parse(end) > Date.parse(round.deadline))
      history = { ...history, overdue: [...(history?.overdue ?? []), [round.deadline, end]] };
  }
  if (before.status === 'closed' && after.status !== 'closed' && before.closedAt) {
    history = { ...history, closed: [...(history?.closed ?? []), [before.closedAt, at]] };
  }
  return history === after.history ? after : { ...after, history };
}

/**
 * (from, to] in milliseconds; `to` is Infinity for the span under way. A hazard is overdue
 * after its deadline, not at it: at 24:00 of its deadline's date it is not yet.
 */
export interface Span {
  from: number;
  to: number;
}

/**
 * In time order and never overlapping (a later span starts no earlier than the one before
 * it ended, so that a hazard is counted once at any instant), empty spans left out.
 */
function ordered(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  let floor = Number.NEGATIVE_INFINITY;
  for (const span of spans) {
    const from = Math.max(span.from, floor);
    if (span.to <= from) continue;
    out.push({ from, to: span.to });
    floor = span.to;
  }
  return out;
}

const pastSpans = (spans: readonly PastSpan[] = []) =>
  spans.map(([from, to]) => ({ from: Date.parse(from), to: Date.parse(to) }));

export function overdueSpans(state: HistoryMoment): Span[] {
  const spans = pastSpans(state.history?.overdue);
  if (state.status === 'rectifying' && state.round)
    spans.push({ from: Date.parse(state.round.deadline), to: Number.POSITIVE_INFINITY });
  return ordered(spans);
}

export function closedSpans(state: HistoryMoment): Span[] {
  const spans = pastSpans(state.history?.closed);
  if (state.status === 'closed' && state.closedAt)
    spans.push({ from: Date.parse(state.closedAt), to: Number.POSITIVE_INFINITY });
  return ordered(spans);
}

export const within = (spans: readonly Span[], instant: number) =>
  spans.some((span) => span.from < instant && instant <= span.to);

/** The end of a CST date: 24:00 CST, the instant the numbers "as of" that date are taken at. */
export const endOfCstDate = (date: string) =>
  Date.parse(`${date}T00:00:00.000+08:00`) + 24 * 3600_000;

/**
 * The CST date of an instant, as spans are counted at days' ends: `instant <
 * endOfCstDate(D)` exactly when `dayOfInstant(instant) <= D`. So a span (from, to] holds the
 * end of D when `dayOfInstant(from) <= D < dayOfInstant(to)`.
 */
export const dayOfInstant = (instant: number) => cstDate(new Date(instant));
