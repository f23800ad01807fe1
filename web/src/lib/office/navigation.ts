import { roles as allRoles, type Role } from '@qingling/shared/auth/principal.ts';
import { words as statisticsWords } from '@qingling/shared/hazards/statistics-words.ts';
import { text } from '#lib/i18n.ts';
import { m } from '#lib/paraglide/messages.js';
import { calendarWords } from './admin-calendar.ts';
import { words as adminContactWords } from './admin-contacts.ts';
import { words as adminJurisdictionWords } from './admin-jurisdiction.ts';
import { words as adminPolicyWords } from './admin-policies.ts';
import { words as adminRewardWords } from './admin-rewards.ts';
import { words as adminUserWords } from './admin-users.ts';

/**
 * The office console's navigation: one entry per page, shown only to the roles its page
 * works for. `routes` names the API operations the page needs when it opens; `roles` are
 * the roles every one of them allows (navigation.test.ts holds the two to the route
 * table, so an entry never leads anyone to a "not allowed" page). One line per entry.
 */
export interface NavEntry {
  href: `/office${string}`;
  label: () => string;
  roles: readonly Role[];
  routes: readonly string[];
}

const office = ['officer', 'department_head', 'leader_in_charge', 'principal_leader'] as const;

export const officeNavigation: readonly NavEntry[] = [
  // The desk (工作台) shows each role its own sections (desk-sections.ts): everyone has one.
  { href: '/office', label: m.office_title, roles: allRoles, routes: ['getMe'] },
  { href: '/office/hazards', label: m.hz_nav_hazards, roles: office, routes: ['listHazards'] },
  { href: '/office/enterprises', label: m.en_nav, roles: office, routes: ['listEnterprises'] },
  { href: '/office/import', label: m.hz_nav_import, roles: ['officer'], routes: ['importHazards'] },
  { href: '/office/tips', label: m.hz_nav_tips, roles: office, routes: ['listTips'] },
  {
    href: '/office/rewards',
    label: m.rw_nav,
    roles: ['reward_officer'],
    routes: ['listRewards'],
  },
  {
    href: '/office/statistics',
    label: () => text(statisticsWords.nav),
    roles: office,
    routes: ['getHazardStatistics'],
  },
  {
    href: '/office/admin/policies',
    label: () => text(adminPolicyWords.nav),
    roles: ['administrator'],
    routes: ['getPolicies', 'updateEscalationPolicy'],
  },
  {
    href: '/office/admin/calendar',
    label: () => text(calendarWords.nav),
    roles: ['administrator'],
    routes: ['getPolicies', 'updateCalendarYear'],
  },
  {
    href: '/office/admin/rewards',
    label: () => text(adminRewardWords.nav),
    roles: ['administrator'],
    routes: ['getPolicies', 'updateRewardPolicy'],
  },
  {
    href: '/office/admin/contacts',
    label: () => text(adminContactWords.nav),
    roles: ['administrator'],
    routes: ['getJurisdictionContacts', 'updateJurisdictionContacts'],
  },
  {
    href: '/office/admin/jurisdiction',
    label: () => text(adminJurisdictionWords.nav),
    roles: ['administrator'],
    routes: ['listJurisdictions', 'updateJurisdiction'],
  },
  {
    href: '/office/admin/users',
    label: () => text(adminUserWords.nav),
    roles: ['administrator'],
    routes: ['listUsers', 'createUser', 'updateUser'],
  },
];

/** The entries a person holding these roles may use. */
export function navigationFor(held: readonly Role[]): NavEntry[] {
  return officeNavigation.filter((entry) => entry.roles.some((role) => held.includes(role)));
}
