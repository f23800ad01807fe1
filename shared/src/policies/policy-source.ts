import { type HolidayCalendar, seedCalendar } from '../calendar/calendar.ts';
import { defaultEscalationPolicy, type EscalationPolicy } from '../hazards/escalation.ts';
import {
  nationalRewardPolicy,
  type RewardPolicy,
  type RewardPolicySettings,
  rewardPolicyFor,
  type StoredRewardPolicy,
} from '../rewards/reward-policy.ts';
import {
  type CalendarYearData,
  type Edit,
  effectiveCalendar,
  escalationPolicyFor,
  type LadderSettings,
  type StoredCalendarYear,
  type StoredEscalationPolicy,
  type StoredJurisdictionContacts,
  type StoredPolicies,
} from './policies.ts';
import type { JurisdictionContactLists } from './schemas.ts';

/**
 * Port: the policies in force, as code reads them (the lifecycle, deadlines in working
 * days, the health warnings). Never hard-coded: the seed and national defaults merged with
 * what administrators stored.
 */
export interface PolicySource {
  /** The national working-day calendar in force. */
  calendar(): Promise<HolidayCalendar>;
  /** The escalation ladder in force in a jurisdiction. */
  escalationPolicy(jurisdiction: string): Promise<EscalationPolicy>;
  /** The reward policy in force in a jurisdiction: its stored one, or the national rule. */
  rewardPolicy(jurisdiction: string): Promise<RewardPolicy>;
}

/**
 * Port: where administrators' edits are kept. Every write is conditional on the version
 * the editor saw (0: nothing stored yet) and answers 'conflict' when it changed meanwhile.
 */
export interface PolicyStore {
  /** Everything stored, read consistently (a handful of items). */
  read(): Promise<StoredPolicies>;
  putCalendarYear(
    year: number,
    days: CalendarYearData,
    edit: Edit & { expectedVersion: number },
  ): Promise<StoredCalendarYear | 'conflict'>;
  putEscalationPolicy(
    jurisdiction: string,
    settings: LadderSettings,
    edit: Edit & { expectedVersion: number },
  ): Promise<StoredEscalationPolicy | 'conflict'>;
  putRewardPolicy(
    jurisdiction: string,
    settings: RewardPolicySettings,
    edit: Edit & { expectedVersion: number },
  ): Promise<StoredRewardPolicy | 'conflict'>;
  /**
   * A jurisdiction's contact lists, read consistently (undefined: never edited). Not part
   * of `read`: personal data stays out of the policies every lifecycle turn caches, and
   * the next message after an edit reaches the new contact.
   */
  jurisdictionContacts(jurisdiction: string): Promise<StoredJurisdictionContacts | undefined>;
  /** Replaces a jurisdiction's contact lists, logging the edit (who, when, which lists) on them. */
  putJurisdictionContacts(
    jurisdiction: string,
    contacts: JurisdictionContactLists,
    edit: Edit & { expectedVersion: number },
  ): Promise<StoredJurisdictionContacts | 'conflict'>;
}

/** Port: what the contact directory reads (JurisdictionContactDirectory). */
export type JurisdictionContactsSource = Pick<PolicyStore, 'jurisdictionContacts'>;

interface InForce {
  calendar: HolidayCalendar;
  ladders: Map<string, EscalationPolicy>;
  rewards: Map<string, RewardPolicy>;
}

/**
 * The policies in force, read from the store at most once per `maxAgeMs` (a minute by
 * default) per instance: policies change rarely and every lifecycle turn reads them. An
 * edit made through this instance is seen at once (`forget`); one made elsewhere (another
 * Lambda instance) within the minute. Concurrent readers share one read; a failed read is
 * not kept.
 */
export class CachedPolicies implements PolicySource {
  private readonly readStored: () => Promise<StoredPolicies>;
  private readonly seed: HolidayCalendar;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private cached: { at: number; value: Promise<InForce> } | undefined;

  constructor(options: {
    read: () => Promise<StoredPolicies>;
    seed?: HolidayCalendar;
    maxAgeMs?: number;
    /** Real time, not the lifecycle's clock: the cache's age is an operational matter. */
    now?: () => number;
  }) {
    this.readStored = options.read;
    this.seed = options.seed ?? seedCalendar;
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  async calendar(): Promise<HolidayCalendar> {
    return (await this.inForce()).calendar;
  }

  async escalationPolicy(jurisdiction: string): Promise<EscalationPolicy> {
    return (await this.inForce()).ladders.get(jurisdiction) ?? defaultEscalationPolicy;
  }

  async rewardPolicy(jurisdiction: string): Promise<RewardPolicy> {
    return (await this.inForce()).rewards.get(jurisdiction) ?? nationalRewardPolicy;
  }

  /** Drops what is cached: the next read goes to the store (after an edit). */
  forget(): void {
    this.cached = undefined;
  }

  private inForce(): Promise<InForce> {
    const now = this.now();
    if (this.cached && now - this.cached.at <= this.maxAgeMs) return this.cached.value;
    const value = this.readStored().then(
      (stored): InForce => ({
        calendar: effectiveCalendar(this.seed, stored.calendarYears),
        ladders: new Map(
          stored.escalationPolicies.map((policy) => [
            policy.jurisdiction,
            escalationPolicyFor(policy.jurisdiction, policy),
          ]),
        ),
        rewards: new Map(
          (stored.rewardPolicies ?? []).map((policy) => [
            policy.jurisdiction,
            rewardPolicyFor(policy.jurisdiction, policy),
          ]),
        ),
      }),
    );
    const entry = { at: now, value };
    this.cached = entry;
    value.catch(() => {
      if (this.cached === entry) this.cached = undefined;
    });
    return value;
  }
}
