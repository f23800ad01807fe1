/**
 * The desk's cards (desk.ts deskCards): each a count of hazards, and the same predicate
 * lists the hazards behind it (GET /api/office/desk?card=…), so a click on "overdue 7"
 * opens exactly those 7. A module of its own: the API's schemas name the keys without
 * bundling the desk's rules into every handler that validates a hazard.
 */
export const deskCardKeys = [
  'overdue',
  'dueSoon',
  'openMajor',
  'escalationsToday',
  'exposed',
  // The cards a person's role acts on: their hazards are the person's cases (myCaseReasons).
  'pendingExtensions',
  'awaitingSignOff',
  'summonsToHold',
  'listedSupervisions',
  'exposureToApprove',
] as const;
export type DeskCardKey = (typeof deskCardKeys)[number];

export const isDeskCardKey = (value: string): value is DeskCardKey =>
  (deskCardKeys as readonly string[]).includes(value);

/** Why a case is the person's: they recorded it, or it waits on an act of their role. */
export type MyCaseReason = 'recorded' | (typeof deskCardKeys)[5 | 6 | 7 | 8 | 9];
// Derived, not spelled again: every handler validating a hazard bundles these schemas.
export const myCaseReasonKeys = ['recorded', ...deskCardKeys.slice(5)] as [
  MyCaseReason,
  ...MyCaseReason[],
];
