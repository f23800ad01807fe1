import type { ListedBlob } from '../ports/blob-store.ts';

/**
 * Evidence photos no record names (issue 14): the browser uploads a hazard's photos before
 * the command that names them (the record, the enterprise's update, the verification), and
 * the photo processor stores the cleaned copy and its thumbnail under evidence/<hazardId>/.
 * A form left unsent (the officer gave up, the page was closed) leaves a photo nobody will
 * ever see, kept forever. The sweep removes those older than `maxAgeHours` (the forms live
 * an hour: a day leaves any command that was under way its time) that no event of their
 * hazard names, with their thumbnails; never one an event names, nor a thumbnail of one.
 *
 * Tips need none: a tip's photo slots are opened by the tip's own receipt before any
 * upload, the processor deletes an upload for no open slot, and unprocessed uploads under
 * incoming/ expire by the bucket's rule (a day).
 */
export const orphanEvidencePolicy = { prefix: 'evidence/', maxAgeHours: 24 } as const;

const evidenceKey = /^evidence\/([a-z2-7]{26})\/([0-9a-f-]{36})(-thumb\.jpg)?$/;

export interface OrphanSweep {
  /** The keys removed (photos and thumbnails). */
  removed: string[];
  /** Old enough, but named by their hazard's log (or a thumbnail of such): kept. */
  kept: number;
  /** The function's time ran out before the listing's end: the next run goes on. */
  unfinished: boolean;
}

/**
 * One pass over the listing, hazard by hazard (the listing is in key order, so each
 * hazard's photos come together): a hazard's log is read only if it has a photo old enough.
 */
export async function sweepOrphanEvidence(input: {
  listing: AsyncIterable<ListedBlob>;
  now: Date;
  maxAgeHours?: number;
  /** The photo keys the hazard's events name (empty for a hazard never recorded). */
  named: (hazardId: string) => Promise<ReadonlySet<string>>;
  remove: (key: string) => Promise<void>;
  expired?: () => boolean;
}): Promise<OrphanSweep> {
  const maxAgeHours = input.maxAgeHours ?? orphanEvidencePolicy.maxAgeHours;
  const cutoff = input.now.getTime() - maxAgeHours * 3_600_000;
  const result: OrphanSweep = { removed: [], kept: 0, unfinished: false };
  let hazard = '';
  let old: { key: string; photoKey: string }[] = [];

  const settle = async () => {
    if (old.length === 0) return;
    const named = await input.named(hazard);
    for (const { key, photoKey } of old) {
      if (named.has(photoKey)) result.kept += 1;
      else {
        await input.remove(key);
        result.removed.push(key);
      }
    }
    old = [];
  };

  for await (const blob of input.listing) {
    const match = evidenceKey.exec(blob.key);
    if (!match) continue;
    const [, hazardId = '', uploadId = ''] = match;
    if (hazardId !== hazard) {
      await settle();
      if (input.expired?.()) return { ...result, unfinished: true };
      hazard = hazardId;
    }
    if (blob.storedAt.getTime() <= cutoff) {
      old.push({ key: blob.key, photoKey: `evidence/${hazardId}/${uploadId}` });
    }
  }
  await settle();
  return result;
}
