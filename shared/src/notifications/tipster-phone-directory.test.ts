import { beforeEach, describe, expect, it } from 'vitest';
import { tipReceived } from '../../../tests/support/tip-lifecycle.ts';
import { MemoryEventStore } from '../event-log/memory-event-store.ts';
import { tipsterPhoneAddress } from '../tips/claim-deadline.ts';
import { tipProjection } from '../tips/tip-projection.ts';
import { tipStream } from '../tips/tip-state.ts';
import { SealedTipsterPhoneDirectory } from './tipster-phone-directory.ts';

// The claim reminder's recipient: a tip's sealed phone, opened only as the message goes,
// each opening logged on the tip before the seal is opened.
let store: MemoryEventStore;
let opened: string[];
let vaultDown: boolean;
const clock = { now: () => new Date('2027-01-14T01:00:00.000Z') };
const vault = {
  open: async (sealed: string) => {
    if (vaultDown) throw new Error('KMS unavailable');
    opened.push(sealed);
    return sealed.replace('sealed:', '');
  },
};
const directory = () => new SealedTipsterPhoneDirectory({ events: store, vault, clock });

async function tip(tipId: string, contactSealed?: string) {
  await store.append(
    tipStream(tipId),
    null,
    tipReceived(tipId, '2026-11-24T02:00:00.000Z', {
      seenOn: '2026-11-23',
      wantsReward: Boolean(contactSealed),
      ...(contactSealed ? { contactSealed } : {}),
      acceptDeadline: '2026-11-27T16:00:00.000Z',
    }),
    tipProjection,
  );
}
const openings = async (tipId: string) =>
  (await store.load(tipStream(tipId), tipProjection))?.state.contactOpenings ?? [];

beforeEach(() => {
  store = new MemoryEventStore();
  opened = [];
  vaultDown = false;
});

describe('the sealed phone of a tip', () => {
  it('is opened as the message goes, and the opening is on the tip', async () => {
    await tip('withphoneabcdefghijklmnopq', 'sealed:13812345678');
    const contacts = await directory().resolve(tipsterPhoneAddress('withphoneabcdefghijklmnopq'));
    expect(contacts).toEqual([{ kind: 'sms', phone: '13812345678' }]);
    expect(await openings('withphoneabcdefghijklmnopq')).toEqual([
      { at: '2027-01-14T01:00:00.000Z', by: 'notification-delivery', purpose: 'claim_reminder' },
    ]);
  });

  it('is logged even when the opening then fails', async () => {
    await tip('withphoneabcdefghijklmnopq', 'sealed:13812345678');
    vaultDown = true;
    await expect(
      directory().resolve(tipsterPhoneAddress('withphoneabcdefghijklmnopq')),
    ).rejects.toThrow('KMS unavailable');
    expect(await openings('withphoneabcdefghijklmnopq')).toHaveLength(1);
  });

  it('reaches nobody for a tip without a phone or no tip, and opens nothing', async () => {
    await tip('nophoneabcdefghijklmnopqrs');
    expect(await directory().resolve(tipsterPhoneAddress('nophoneabcdefghijklmnopqrs'))).toEqual(
      [],
    );
    expect(await directory().resolve(tipsterPhoneAddress('missingabcdefghijklmnopqrs'))).toEqual(
      [],
    );
    expect(await openings('nophoneabcdefghijklmnopqrs')).toEqual([]);
    expect(opened).toEqual([]);
  });

  it('answers no other address', async () => {
    await tip('withphoneabcdefghijklmnopq', 'sealed:13812345678');
    expect(await directory().resolve('leader_in_charge@cq-gecheng')).toEqual([]);
    expect(await directory().resolve('withphoneabcdefghijklmnopq')).toEqual([]);
    expect(opened).toEqual([]);
  });
});
