import { describe, expect, it } from 'vitest';
import { seedCalendar } from '../calendar/calendar.ts';
import { MemoryEventStore } from '../event-log/memory-event-store.ts';
import { giveCommand, recordHazard } from './commands.ts';
import { defaultEscalationPolicy } from './escalation.ts';
import {
  incomingEvidenceKey,
  maxPhotosPerStep,
  photoKeysRefusal,
  photosFor,
  photosOfEvent,
  storedEvidenceKey,
  storedKeyOfIncoming,
} from './evidence.ts';
import { defaultLookBackPolicy } from './look-back.ts';
import { evidenceKeys } from './schemas.ts';

const hazardId = 'bcdefghijklmnopqrstuvwxyza';
const otherHazard = 'abcdefghijklmnopqrstuvwxyz';
const uploadId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const key = storedEvidenceKey(hazardId, uploadId);
const hash = 'c'.repeat(64);

describe('evidence photo keys', () => {
  it('maps an incoming upload of a hazard to its stored key, and nothing else', () => {
    expect(storedKeyOfIncoming(incomingEvidenceKey(hazardId, uploadId))).toBe(key);
    expect(storedKeyOfIncoming(`incoming/tips/${hazardId}/p1`)).toBeNull();
    expect(storedKeyOfIncoming(`incoming/hazards/${hazardId}/../${uploadId}`)).toBeNull();
    expect(storedKeyOfIncoming(`incoming/hazards/${hazardId}/${uploadId}/x`)).toBeNull();
    expect(storedKeyOfIncoming(`incoming/hazards/UPPER/${uploadId}`)).toBeNull();
  });

  it("refuses another hazard's photo; keeps a photo named twice once", () => {
    expect(photoKeysRefusal(hazardId, [key])).toBeNull();
    expect(photoKeysRefusal(hazardId, [storedEvidenceKey(otherHazard, uploadId)])?.en).toContain(
      'does not belong',
    );
    expect(photoKeysRefusal(hazardId, [`tips/${hazardId}/p1`])?.en).toContain('does not belong');
    expect(photosFor(hazardId, { photoKeys: [key, key], photos: [{ key, sha256: hash }] })).toEqual(
      {
        photos: [{ key, sha256: hash }],
      },
    );
  });

  it('lets the API take at most maxPhotosPerStep photos on a step', () => {
    const many = Array.from({ length: maxPhotosPerStep + 1 }, () => key);
    expect(evidenceKeys.safeParse(many).success).toBe(false);
    expect(evidenceKeys.safeParse(many.slice(1)).success).toBe(true);
  });

  it('takes a hash only from the photos the server read, in the order given', () => {
    expect(photosFor(hazardId, { photoKeys: [key], photos: [{ key, sha256: hash }] })).toEqual({
      photos: [{ key, sha256: hash }],
    });
    expect(photosFor(hazardId, { photoKeys: [key] })).toMatchObject({
      refusal: { en: expect.stringContaining('not processed') },
    });
    expect(
      photosFor(hazardId, { photoKeys: [key], photos: [{ key, sha256: 'x' }] }),
    ).toHaveProperty('refusal');
    expect(photosFor(hazardId, {})).toEqual({ photos: [] });
  });

  it('lists the photos an event names', () => {
    expect(photosOfEvent({ data: { photos: [{ key, sha256: hash }] } })).toEqual([
      { key, sha256: hash },
    ]);
    expect(photosOfEvent({ data: { photoKeys: [key] } })).toEqual([]);
  });
});

describe('photos on the hazard’s events', () => {
  const clock = { now: () => new Date('2026-12-08T02:00:00.000Z') };
  const deps = () => ({
    events: new MemoryEventStore(),
    clock,
    calendar: seedCalendar,
    policy: defaultEscalationPolicy,
    lookBack: defaultLookBackPolicy,
    workflow: { wake: async () => {} },
  });
  const facts = {
    hazardId,
    source: 'inspection' as const,
    jurisdiction: 'cq-gecheng',
    industry: 'fire',
    enterprise: '91350100M000100Y43',
    place: '东门路 18 号仓库',
    grade: 'general' as const,
    description: '安全出口被货物堵塞。',
  };
  const actor = { kind: 'person' as const, id: 'officer-1' };

  it('records the photos found with their hashes', async () => {
    const world = deps();
    const { snapshot } = await recordHazard(world, {
      facts: { ...facts, photos: [{ key, sha256: hash }], position: { latitude: 1, longitude: 2 } },
      actor,
    });
    expect(snapshot.state.photos).toEqual([{ key, sha256: hash }]);
  });

  it('puts the enterprise’s fix photos and the verifier’s on their events', async () => {
    const world = deps();
    await recordHazard(world, { facts, actor });
    const give = (
      command: Parameters<typeof giveCommand>[1]['command'],
      by: Parameters<typeof giveCommand>[1]['actor'] = actor,
    ) => giveCommand(world, { hazardId, command, actor: by, idempotencyKey: crypto.randomUUID() });
    await give({
      type: 'start_rectification',
      responsible: '王某',
      measures: '清理',
      deadline: { workingDays: 5 },
    });
    const enterprise = { kind: 'enterprise' as const, id: 'enterprise:91350100M000100Y43' };
    const fixed = await give(
      {
        type: 'submit_evidence',
        note: '已清理',
        photoKeys: [key],
        photos: [{ key, sha256: hash }],
      },
      enterprise,
    );
    expect(fixed.kind).toBe('done');
    if (fixed.kind !== 'done') return;
    expect(fixed.snapshot.state.enterpriseUpdates.at(-1)?.photoKeys).toEqual([key]);
    const second = storedEvidenceKey(hazardId, uploadId.replace('0f8f', '1f8f'));
    // A photo named without its hash (the server did not read it) is refused.
    await expect(
      give({ type: 'submit_evidence', note: '补充', photoKeys: [second] }, enterprise),
    ).rejects.toThrow(/not processed/);
    const passed = await give({
      type: 'pass_verification',
      note: '通过',
      onSite: true,
      photos: [{ key: second, sha256: hash }],
    });
    expect(passed.kind).toBe('done');
    const events = await world.events.read(`HAZARD#${hazardId}`);
    expect(events.flatMap((event) => photosOfEvent(event).map((photo) => photo.key))).toEqual([
      key,
      second,
    ]);
    await expect(
      give({
        type: 'fail_verification',
        reasons: '未整改',
        newDeadline: { workingDays: 3 },
        photoKeys: [second],
      }),
    ).rejects.toThrow(/not processed/);
  });
});
