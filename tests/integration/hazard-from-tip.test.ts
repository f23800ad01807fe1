import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { postJson, type ReplyBody, validTip } from '../support/tips.ts';

// "Record as hazard" clicked twice, or by two officers at once: a tip becomes one hazard,
// every other attempt is told which one (409), and the tipster follows one hazard.
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let token: string;
const clock = new ManualClock('2026-11-24T02:00:00.000Z');
beforeAll(async () => {
  cloud = await startTestCloud({ publicRequestsPerMinute: 100_000, clock });
  token = await signIn(cloud.url, 'cq-gecheng.officer');
});
afterAll(async () => {
  await cloud.stop();
  await cloud.removeData();
});

const auth = () => ({ authorization: `Bearer ${token}` });

/** A fresh tip with a marker in its text: its receipt and its id (from the inbox). */
async function newTip(marker: string): Promise<{ receipt: string; tipId: string }> {
  clock.advance(1000);
  const description = `仓库安全出口被货物堵死，疏散通道不畅 ${marker}`;
  const created = await postJson(`${cloud.url}/api/tips`, validTip({ description }));
  expect(created.status).toBe(201);
  const inbox = await fetch(`${cloud.url}/api/office/tips?jurisdiction=cq-gecheng`, {
    headers: auth(),
  });
  const page = (await inbox.json()) as { tips: { tipId: string; excerpt: string }[] };
  const tip = page.tips.find((entry) => entry.excerpt.includes(marker));
  if (!tip) throw new Error(`tip ${marker} not in the inbox`);
  return { receipt: created.body.receipt, tipId: tip.tipId };
}

const recordFromTip = (tipId: string, marker: string, idempotencyKey = randomUUID()) =>
  postJson(
    `${cloud.url}/api/office/hazards`,
    {
      idempotencyKey,
      jurisdiction: 'cq-gecheng',
      source: 'tip',
      tipId,
      industry: 'fire',
      enterprise: '91350100M000100Y43',
      place: `东门路 18 号仓库 ${marker}`,
      grade: 'general',
      description: `经现场核查，仓库安全出口被货物堵死。${marker}`,
    },
    auth(),
  );

/** The ledger's hazards (status reported) whose place carries the marker. */
async function ledger(marker: string): Promise<string[]> {
  const found: string[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({
      jurisdiction: 'cq-gecheng',
      ...(cursor ? { cursor } : {}),
    });
    const response = await fetch(`${cloud.url}/api/office/hazards?${query}`, { headers: auth() });
    const page = (await response.json()) as ReplyBody;
    for (const hazard of page.hazards ?? page.items ?? []) {
      if (String(hazard.place).includes(marker)) found.push(hazard.hazardId);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

/** How many hazard stages the tipster's follow-up shows, once the workflow has told it. */
async function stagesSeen(receipt: string): Promise<unknown[]> {
  let stages: unknown[] = [];
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const lookup = await postJson(`${cloud.url}/api/tips/lookup`, { receipt });
    expect(lookup.status).toBe(200);
    stages = (lookup.body.timeline as { hazardStage?: string }[])
      .map((entry) => entry.hazardStage)
      .filter(Boolean);
    if (stages.length > 0) {
      // Give a second hazard, if any, its chance to tell the tip too.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const again = await postJson(`${cloud.url}/api/tips/lookup`, { receipt });
      return (again.body.timeline as { hazardStage?: string }[])
        .map((entry) => entry.hazardStage)
        .filter(Boolean);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return stages;
}

function expectToldItBecame(reply: { status: number; body: ReplyBody }, hazardId: string) {
  expect(reply.status).toBe(409);
  expect(reply.body.error.code).toBe('tip_already_recorded');
  expect(reply.body.error.message.zh).toMatch(/[\u4e00-\u9fff]/);
  expect(reply.body.error.message.en).toMatch(/[a-z]/i);
  expect(reply.body.error.current.hazardId).toBe(hazardId);
}

describe('a tip recorded as a hazard', () => {
  it('becomes one hazard when recorded twice with two keys', async () => {
    const marker = `twice-${randomUUID().slice(0, 8)}`;
    const tip = await newTip(marker);
    const key = randomUUID();
    const first = await recordFromTip(tip.tipId, marker, key);
    expect(first.status).toBe(201);
    const hazardId = first.body.hazard.hazardId;
    expectToldItBecame(await recordFromTip(tip.tipId, marker), hazardId);
    // A retry of the first request itself (same key) is still answered as that request.
    const retry = await recordFromTip(tip.tipId, marker, key);
    expect(retry.status).toBe(200);
    expect(retry.body.hazard.hazardId).toBe(hazardId);
    expect(await ledger(marker)).toEqual([hazardId]);
    expect(await stagesSeen(tip.receipt)).toEqual(['recorded']);
  });

  it('becomes one hazard when five officers record it at once', async () => {
    const marker = `at-once-${randomUUID().slice(0, 8)}`;
    const tip = await newTip(marker);
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => recordFromTip(tip.tipId, marker)),
    );
    const made = replies.filter((reply) => reply.status === 201);
    expect(
      replies.map((reply) => reply.status).sort(),
      JSON.stringify(replies.map((reply) => reply.body)),
    ).toEqual([201, 409, 409, 409, 409]);
    const hazardId = made[0]?.body.hazard.hazardId;
    for (const reply of replies.filter((each) => each.status !== 201)) {
      expectToldItBecame(reply, hazardId);
    }
    expect(await ledger(marker)).toEqual([hazardId]);
    expect(await stagesSeen(tip.receipt)).toEqual(['recorded']);
  });
});

/** A command on the tip, as the officer who saw its current revision gives it. */
async function command(tipId: string, body: Record<string, unknown>) {
  const tip = await fetch(`${cloud.url}/api/office/tips/${tipId}`, { headers: auth() });
  const { revision } = (await tip.json()) as { revision: number };
  const reply = await postJson(
    `${cloud.url}/api/office/tips/${tipId}/commands`,
    { idempotencyKey: randomUUID(), expectedRevision: revision, command: body },
    auth(),
  );
  return { ...reply, revisionBefore: revision };
}

describe("a tip's finding that names a hazard", () => {
  const finding = (hazardId: string) => ({
    type: 'record_finding',
    finding: 'substantiated',
    note: '现场核实属实',
    hazardId,
  });

  it("is refused (404) for another jurisdiction's hazard or none, and recorded for its own", async () => {
    const marker = `finding-${randomUUID().slice(0, 8)}`;
    const tip = await newTip(marker);
    expect((await command(tip.tipId, { type: 'accept' })).status).toBe(200);
    expect((await command(tip.tipId, { type: 'start_investigation' })).status).toBe(200);

    const elsewhere = await postJson(
      `${cloud.url}/api/office/hazards`,
      {
        idempotencyKey: randomUUID(),
        jurisdiction: 'fj-xiamen-xiangan',
        source: 'inspection',
        industry: 'fire',
        enterprise: '91350100M000100Y43',
        place: `翔安 ${marker}`,
        grade: 'general',
        description: `仓库安全出口被货物堵塞。${marker}`,
      },
      { authorization: `Bearer ${await signIn(cloud.url, 'fj-xiamen-xiangan.officer')}` },
    );
    expect(elsewhere.status, JSON.stringify(elsewhere.body)).toBe(201);
    const own = await recordFromTip(tip.tipId, marker);
    expect(own.status, JSON.stringify(own.body)).toBe(201);

    for (const hazardId of [elsewhere.body.hazard.hazardId, 'abcdefghijklmnopqrstuvwxyz']) {
      const refused = await command(tip.tipId, finding(hazardId));
      expect(refused.status, JSON.stringify(refused.body)).toBe(404);
      expect(refused.body.error.message.zh).toMatch(/[\u4e00-\u9fff]/);
      // Nothing was written: the tip is where it was.
      const after = await fetch(`${cloud.url}/api/office/tips/${tip.tipId}`, { headers: auth() });
      const body = (await after.json()) as { revision: number; status: string };
      expect(body).toMatchObject({ revision: refused.revisionBefore, status: 'investigating' });
    }
    const recorded = await command(tip.tipId, finding(own.body.hazard.hazardId));
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
    const after = await fetch(`${cloud.url}/api/office/tips/${tip.tipId}`, { headers: auth() });
    expect(await after.json()).toMatchObject({
      status: 'substantiated',
      hazardId: own.body.hazard.hazardId,
    });
  });
});

describe('a tip found substantiated before its hazard was recorded', () => {
  const given = async (tipId: string, body: Record<string, unknown>) => {
    const reply = await command(tipId, body);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  };

  it('names the hazard once the hazard is recorded from it, as if the finding had', async () => {
    const marker = `found-first-${randomUUID().slice(0, 8)}`;
    const tip = await newTip(marker);
    await given(tip.tipId, { type: 'accept' });
    await given(tip.tipId, { type: 'start_investigation' });
    // The finding names no hazard (it is optional): the hazard is recorded after it.
    await given(tip.tipId, {
      type: 'record_finding',
      finding: 'substantiated',
      note: '现场核查属实，安全出口被堵。',
    });
    const recorded = await recordFromTip(tip.tipId, marker);
    expect(recorded.status).toBe(201);
    await cloud.conductor.settled();
    await cloud.tipConductor.settled();
    const read = await fetch(`${cloud.url}/api/office/tips/${tip.tipId}`, { headers: auth() });
    const after = (await read.json()) as { hazardId?: string; status: string };
    expect(after.status).toBe('substantiated');
    expect(after.hazardId).toBe(recorded.body.hazard.hazardId);
  });
});
