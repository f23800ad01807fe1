import type { JurisdictionRecord, UpdateJurisdiction } from '@qingling/shared/api/schemas.ts';
import type {
  CalendarYearView,
  JurisdictionContactsView,
  UpdateCalendarYear,
  UpdateEscalationPolicy,
  UpdateJurisdictionContacts,
} from '@qingling/shared/policies/schemas.ts';
import type { UpdateRewardPolicy } from '@qingling/shared/rewards/reward-policy-schemas.ts';
import type {
  CreateUser,
  DirectoryUser,
  UpdateUser,
  UserList,
} from '@qingling/shared/users/users.ts';
import type { LadderView, PoliciesView } from './admin-policies.ts';
import type { RewardPolicyView } from './admin-rewards.ts';
import { officeRequest } from './office-api.ts';

/** The policy page's requests: the jurisdiction's policy as read, and its versioned save. */
export async function loadLadder(jurisdiction: string): Promise<LadderView | undefined> {
  const policies = await officeRequest<PoliciesView>('/api/admin/policies');
  return policies.escalation.find((view) => view.jurisdiction === jurisdiction);
}

export function saveLadder(jurisdiction: string, body: UpdateEscalationPolicy) {
  return officeRequest<LadderView>(
    `/api/admin/jurisdictions/${encodeURIComponent(jurisdiction)}/escalation-policy`,
    { method: 'PUT', body },
  );
}

/** The calendar page's requests: the years as read (with their warnings), a year's save. */
export const loadCalendar = () => officeRequest<PoliciesView>('/api/admin/policies');

export const saveCalendarYear = (year: number, body: UpdateCalendarYear) =>
  officeRequest<CalendarYearView>(`/api/admin/calendar/${year}`, { method: 'PUT', body });

/** The reward policy page's requests: the jurisdiction's reward policy, and its versioned save. */
export async function loadRewardPolicy(jurisdiction: string) {
  const policies = await officeRequest<PoliciesView>('/api/admin/policies');
  return policies.rewards.find((view) => view.jurisdiction === jurisdiction);
}

export function saveRewardPolicy(jurisdiction: string, body: UpdateRewardPolicy) {
  return officeRequest<RewardPolicyView>(
    `/api/admin/jurisdictions/${encodeURIComponent(jurisdiction)}/reward-policy`,
    { method: 'PUT', body },
  );
}

/** The contacts page's requests: a jurisdiction's contact lists, and their versioned save. */
const contactsPath = (jurisdiction: string) =>
  `/api/admin/jurisdictions/${encodeURIComponent(jurisdiction)}/contacts`;

export const loadContacts = (jurisdiction: string) =>
  officeRequest<JurisdictionContactsView>(contactsPath(jurisdiction));

export const saveContacts = (jurisdiction: string, body: UpdateJurisdictionContacts) =>
  officeRequest<JurisdictionContactsView>(contactsPath(jurisdiction), { method: 'PUT', body });

/** The jurisdiction page's requests: the jurisdiction as listed, and its versioned save. */
export async function loadJurisdiction(code: string): Promise<JurisdictionRecord | undefined> {
  const { jurisdictions } = await officeRequest<{ jurisdictions: JurisdictionRecord[] }>(
    '/api/jurisdictions',
  );
  return jurisdictions.find((jurisdiction) => jurisdiction.code === code);
}

export const saveJurisdiction = (code: string, body: UpdateJurisdiction) =>
  officeRequest<JurisdictionRecord>(`/api/jurisdictions/${encodeURIComponent(code)}`, {
    method: 'PUT',
    body,
  });

/** The users-and-roles page's requests: a jurisdiction's users, an addition, an edit. */
const usersPath = (code: string) => `/api/admin/jurisdictions/${encodeURIComponent(code)}/users`;

export const loadUsers = (code: string) => officeRequest<UserList>(usersPath(code));

export const createUser = (code: string, body: CreateUser) =>
  officeRequest<DirectoryUser>(usersPath(code), { method: 'POST', body });

export const saveUser = (code: string, username: string, body: UpdateUser) =>
  officeRequest<DirectoryUser>(`${usersPath(code)}/${encodeURIComponent(username)}`, {
    method: 'PUT',
    body,
  });
