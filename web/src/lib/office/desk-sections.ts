import type { Role } from '@qingling/shared/auth/principal.ts';
import type { DeskCardKey } from '@qingling/shared/hazards/desk.ts';
import { m } from '#lib/paraglide/messages.js';
import type { Desk, LedgerStatus } from './contract.ts';

/**
 * The desk (工作台) per role: which sections a person sees, and the routes each reads
 * (desk-sections.test.ts holds them to the route table, so no section is refused).
 */
export type DeskSectionKey = 'work' | 'overview' | 'rewards' | 'admin';

export const deskSections: readonly {
  key: DeskSectionKey;
  roles: readonly Role[];
  routes: readonly string[];
}[] = [
  {
    key: 'work',
    roles: ['officer', 'department_head', 'leader_in_charge', 'principal_leader'],
    routes: ['getDesk'],
  },
  {
    key: 'overview',
    roles: ['officer', 'department_head', 'leader_in_charge', 'principal_leader'],
    routes: ['getDesk'],
  },
  { key: 'rewards', roles: ['reward_officer'], routes: ['getRewardDesk'] },
  {
    key: 'admin',
    roles: ['administrator'],
    routes: ['listJurisdictions', 'getPolicies', 'getJurisdictionContacts'],
  },
];

export function sectionsFor(held: readonly Role[]): Set<DeskSectionKey> {
  return new Set(
    deskSections
      .filter((section) => section.roles.some((role) => held.includes(role)))
      .map((section) => section.key),
  );
}

export interface WorkCard {
  key: string;
  label: () => string;
  count: number;
  /**
   * Where the count's hazards are, exactly those: a desk card's own list (the desk's rule,
   * GET /api/office/desk?card=…), a ledger tab (its count is the tab's), or an inbox tab.
   */
  to: { card: DeskCardKey } | { ledger: LedgerStatus } | { inbox: 'received' };
  alert: boolean;
}

/** A desk card's count and the list it opens. */
const deskCard = (
  key: string,
  card: DeskCardKey,
  label: () => string,
  desk: Desk,
  alert = false,
): WorkCard => ({ key, label, count: desk[card], to: { card }, alert: alert && desk[card] > 0 });

/**
 * What each role is there to do, as counts of the desk: the officer works the inbox and
 * the deadlines, the department head decides extensions and signs off closures, the
 * leaders watch what is overdue, escalated and major, and hold summonses; the principal
 * leader also lists supervision and approves exposure. A card two roles share shows once.
 */
export function workCards(held: readonly Role[], desk: Desk): WorkCard[] {
  const cards: Record<Role, WorkCard[]> = {
    officer: [
      {
        key: 'tips-to-accept',
        label: m.desk_tips_to_accept,
        count: desk.tips.received,
        to: { inbox: 'received' },
        alert: false,
      },
      deskCard('due-soon', 'dueSoon', m.desk_due_soon, desk),
      deskCard('overdue', 'overdue', m.desk_overdue, desk, true),
      {
        key: 'to-verify',
        label: m.desk_to_verify,
        count: desk.hazards.verifying,
        to: { ledger: 'verifying' },
        alert: false,
      },
    ],
    department_head: [
      deskCard('extensions', 'pendingExtensions', m.desk_extensions, desk, true),
      deskCard('sign-off', 'awaitingSignOff', m.desk_sign_off, desk),
    ],
    leader_in_charge: leaderCards(desk),
    principal_leader: [
      ...leaderCards(desk),
      deskCard('exposure-to-approve', 'exposureToApprove', m.desk_exposure_to_approve, desk, true),
      deskCard('exposed', 'exposed', m.desk_exposed, desk),
    ],
    reward_officer: [],
    administrator: [],
  };
  const shown = new Map<string, WorkCard>();
  for (const role of held) for (const card of cards[role]) shown.set(card.key, card);
  return [...shown.values()];
}

function leaderCards(desk: Desk): WorkCard[] {
  return [
    deskCard('overdue', 'overdue', m.desk_overdue, desk, true),
    deskCard('escalations-today', 'escalationsToday', m.desk_escalations_today, desk, true),
    deskCard('summons-to-hold', 'summonsToHold', m.desk_summons_to_hold, desk, true),
    deskCard('listed', 'listedSupervisions', m.desk_listed_supervisions, desk),
    deskCard('open-major', 'openMajor', m.desk_open_major, desk, true),
  ];
}

/** The names of the desk's cards (the list page's heading, a case's reasons). */
export const deskCardNames: Record<DeskCardKey, () => string> = {
  overdue: m.desk_overdue,
  dueSoon: m.desk_due_soon,
  openMajor: m.desk_open_major,
  pendingExtensions: m.desk_extensions,
  awaitingSignOff: m.desk_sign_off,
  escalationsToday: m.desk_escalations_today,
  summonsToHold: m.desk_summons_to_hold,
  listedSupervisions: m.desk_listed_supervisions,
  exposureToApprove: m.desk_exposure_to_approve,
  exposed: m.desk_exposed,
};
