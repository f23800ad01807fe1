import type { EventStore, Snapshot } from '../event-log/event-store.ts';
import type { Bilingual } from '../i18n/text.ts';
import type { Clock } from '../ports/clock.ts';
import type { ContactVault } from '../ports/secrets.ts';
import { decideOnRecord, giveRecordCommand } from '../workflow/decisions.ts';
import { tipContentDigest } from './keys.ts';
import {
  type BankDetails,
  type ClaimRefusal,
  claimCodeFor,
  claimCodeHash,
  claimRefusal,
  type RewardClaimEvent,
} from './reward-claim.ts';
import { tipProjection } from './tip-projection.ts';
import { checkTipTransition } from './tip-rules.ts';
import { type TipState, tipStream, tipsterActor } from './tip-state.ts';

/**
 * The tipster claims an approved reward (reward-claim.ts has the rules and why the code is
 * kept as a hash). Anonymous: the actor is the tipster, the bank account is sealed before
 * anything is written, and the request's digest is keyed, never the account in clear.
 */
export interface ClaimDependencies {
  events: EventStore;
  clock: Clock;
  receiptKey: Uint8Array;
  contactVault: Pick<ContactVault, 'seal'>;
  /** Wakes the tip's lifecycle, which waits for the claim deadline (claim-deadline.ts). */
  workflow?: { wake(tipId: string): Promise<void> };
}

export type ClaimRequest = { tipId: string; idempotencyKey: string } & (
  | { method: 'in_person' }
  | { method: 'bank_transfer'; bank: BankDetails }
);

export type ClaimOutcome =
  | { kind: 'claimed'; snapshot: Snapshot<TipState>; duplicate: boolean; claimCode?: string }
  | { kind: 'refused'; text: Bilingual; lapsed: boolean }
  | { kind: 'not_found' };

class Refused extends Error {
  readonly refusal: ClaimRefusal;
  constructor(refusal: ClaimRefusal) {
    super(refusal.text.en);
    this.refusal = refusal;
  }
}

const lapseActor = { kind: 'system' as const, id: 'reward-claim' };

export async function claimReward(
  deps: ClaimDependencies,
  request: ClaimRequest,
): Promise<ClaimOutcome> {
  const { tipId, idempotencyKey } = request;
  const claimCode =
    request.method === 'in_person'
      ? await claimCodeFor(deps.receiptKey, tipId, idempotencyKey)
      : undefined;
  const data: Extract<RewardClaimEvent, { type: 'reward_claimed' }>['data'] =
    request.method === 'in_person'
      ? {
          method: 'in_person',
          claimCodeHash: await claimCodeHash(deps.receiptKey, tipId, claimCode ?? ''),
        }
      : {
          method: 'bank_transfer',
          bankSealed: await deps.contactVault.seal(JSON.stringify(request.bank)),
        };
  const command = {
    type: 'claim_reward',
    method: request.method,
    ...(request.method === 'bank_transfer'
      ? { bank: await tipContentDigest(deps.receiptKey, `bank:${JSON.stringify(request.bank)}`) }
      : {}),
  };
  try {
    const outcome = await giveRecordCommand<TipState>({
      events: deps.events,
      stream: tipStream(tipId),
      projection: tipProjection,
      idempotencyKey,
      actor: tipsterActor,
      now: () => deps.clock.now(),
      command,
      decide: (state, now) => {
        const refusal = claimRefusal(state, now);
        if (refusal) throw new Refused(refusal);
        const event = { type: 'reward_claimed' as const, data };
        checkTipTransition(state, event);
        return event;
      },
      wake: async () => deps.workflow?.wake(tipId),
    });
    if (outcome.kind === 'not_found') return outcome;
    if (outcome.kind === 'conflict') {
      // Only another claim can come between (the tipster is the only claimant).
      const refusal = claimRefusal(outcome.current.state, deps.clock.now());
      return {
        kind: 'refused',
        text: refusal?.text ?? { zh: '请重试。', en: 'Please try again.' },
        lapsed: refusal?.kind === 'lapsed',
      };
    }
    return {
      kind: 'claimed',
      snapshot: outcome.snapshot,
      duplicate: outcome.duplicate,
      ...(claimCode ? { claimCode } : {}),
    };
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    if (error.refusal.kind === 'lapsed') await recordLapse(deps, tipId);
    return { kind: 'refused', text: error.refusal.text, lapsed: error.refusal.kind === 'lapsed' };
  }
}

/**
 * Records the lapse of an unclaimed reward past its deadline, once (its key is the tip's
 * own): the tip's lifecycle records it at the deadline (claim-deadline.ts, the same key);
 * this is the fallback when a claim or a read finds the deadline passed first.
 */
export async function recordLapse(
  deps: Pick<ClaimDependencies, 'events' | 'clock'>,
  tipId: string,
): Promise<void> {
  await decideOnRecord<TipState>({
    events: deps.events,
    stream: tipStream(tipId),
    projection: tipProjection,
    idempotencyKey: `${tipId}#reward#lapsed`,
    actor: lapseActor,
    now: () => deps.clock.now(),
    decide: (state, now) => {
      const refusal = claimRefusal(state, now);
      const claimBy = state.reward?.claimBy;
      if (refusal?.kind !== 'lapsed' || !claimBy || state.reward?.lapsedAt) {
        throw new Refused({ kind: 'other', text: refusal?.text ?? { zh: '', en: '' } });
      }
      const event = { type: 'reward_lapsed' as const, data: { claimBy } };
      checkTipTransition(state, event);
      return event;
    },
    wake: async () => {},
  }).catch((error: unknown) => {
    // Nothing to record (already lapsed, or claimed meanwhile).
    if (!(error instanceof Refused)) throw error;
  });
}
