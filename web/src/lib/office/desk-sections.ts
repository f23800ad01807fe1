import type { Role } from '@qingling/shared/auth/principal.ts';
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
  /** Where the count's list is: a ledger tab or an inbox tab of the jurisdiction. */
  to: { ledger: LedgerStatus | 'all' } | { inbox: 'received' };
  alert: boolean;
}

/**
 * What each role is there to do, as counts of the desk: the officer works the inbox and
 * the deadlines, the department head decides extensions and signs off closures, the
 * leaders watch what is overdue, escalated and major. A card two roles share shows once.
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
      {
        key: 'due-soon',
        label: m.desk_due_soon,
        count: desk.dueSoon,
        to: { ledger: 'rectifying' },
        alert: false,
      },
      {
        key: 'overdue',
        label: m.desk_overdue,
        count: desk.overdue,
        to: { ledger: 'rectifying' },
        alert: desk.overdue > 0,
      },
      {
        key: 'to-verify',
        label: m.desk_to_verify,
        count: desk.hazards.verifying,
        to: { ledger: 'verifying' },
        alert: false,
      },
    ],
    department_head: [
      {
        key: 'extensions',
        label: m.desk_extensions,
        count: desk.pendingExtensions,
        to: { ledger: 'rectifying' },
        alert: desk.pendingExtensions > 0,
      },
      {
        key: 'sign-off',
        label: m.desk_sign_off,
        count: desk.hazards.verifying,
        to: { ledger: 'verifying' },
        alert: false,
      },
    ],
    leader_in_charge: leaderCards(desk),
    principal_leader: leaderCards(desk),
    reward_officer: [],
    administrator: [],
  };
  const shown = new Map<string, WorkCard>();
  for (const role of held) for (const card of cards[role]) shown.set(card.key, card);
  return [...shown.values()];
}

function leaderCards(desk: Desk): WorkCard[] {
  return [
    {
      key: 'overdue',
      label: m.desk_overdue,
      count: desk.overdue,
      to: { ledger: 'rectifying' },
      alert: desk.overdue > 0,
    },
    {
      key: 'escalations-today',
      label: m.desk_escalations_today,
      count: desk.escalationsToday,
      to: { ledger: 'rectifying' },
      alert: desk.escalationsToday > 0,
    },
    {
      key: 'open-major',
      label: m.desk_open_major,
      count: desk.openMajor,
      to: { ledger: 'all' },
      alert: desk.openMajor > 0,
    },
  ];
}
