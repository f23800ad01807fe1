import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { applyTally, tallyMarkerKey } from '@qingling/shared/adapters/dynamodb/tally.ts';
import type { HazardState } from '@qingling/shared/hazards/hazard.ts';
import { hazardTally, statisticsPartition } from '@qingling/shared/hazards/statistics.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDynamo } from '#local/dynamodb.ts';

// The counters' moves on dynalite, one hazard at a time: a repeat, a stale write and a
// move stopped after each of its steps must all leave the bucket counting the hazard once,
// as its newest state.
const tableName = 'tally';
let dynamo: Awaited<ReturnType<typeof startLocalDynamo>>;
let directory: string;
const documents = () => createDocumentClient(dynamo.client);

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'qingling-tally-'));
  dynamo = await startLocalDynamo({ path: directory, tableName });
});
afterAll(async () => {
  await dynamo?.stop();
  await rm(directory, { recursive: true, force: true });
});

function state(id: string, status: HazardState['status']): HazardState {
  return {
    hazardId: id,
    source: 'inspection',
    jurisdiction: 'j',
    industry: 'fire',
    enterprise: '91350100M000100Y43',
    place: 'p',
    grade: 'major',
    standard: { ref: 'GB', clause: '1' },
    description: 'd',
    status,
    reportedAt: '2026-03-02T02:00:00.000Z',
    round:
      status === 'reported'
        ? null
        : {
            number: 1,
            deadline: '2026-04-01T16:00:00.000Z',
            startedAt: '2026-03-03T02:00:00.000Z',
          },
    enterpriseUpdates: [],
    revision: 1,
    generation: 0,
    escalations: [],
    ...(status === 'closed' ? { closedAt: '2026-03-20T02:00:00.000Z' } : {}),
  };
}

const stream = (id: string) => `HAZARD#${id}`;
const move = (
  id: string,
  to: { status: HazardState['status']; version: number },
  from: { status: HazardState['status']; version: number } | null,
) =>
  applyTally(
    documents(),
    tableName,
    hazardTally,
    stream(id),
    state(id, to.status),
    to.version,
    from ? { state: state(id, from.status), version: from.version } : null,
  );

/** The bucket's non-zero cells: with one member, exactly that member's cells. */
async function cells(): Promise<Record<string, number>> {
  const { Item } = await documents().send(
    new GetCommand({ TableName: tableName, Key: { pk: statisticsPartition('j'), sk: '2026-03' } }),
  );
  return Object.fromEntries(
    Object.entries((Item?.counts ?? {}) as Record<string, number>).filter(([, n]) => n !== 0),
  );
}
const countedAs = (id: string, status: HazardState['status'], version: number) =>
  hazardTally.deltas(null, hazardTally.of(state(id, status), version).code);

describe('a counter move', () => {
  it('counts once when repeated, and ignores a stale write', async () => {
    expect(await move('a', { status: 'reported', version: 1 }, null)).toBe('moved');
    expect(
      await move('a', { status: 'rectifying', version: 2 }, { status: 'reported', version: 1 }),
    ).toBe('moved');
    expect(
      await move('a', { status: 'rectifying', version: 2 }, { status: 'reported', version: 1 }),
    ).toBe('current');
    expect(await move('a', { status: 'reported', version: 1 }, null)).toBe('current');
    // A write that leaves the cells as they were (an escalation step) writes nothing.
    expect(
      await move('a', { status: 'rectifying', version: 3 }, { status: 'rectifying', version: 2 }),
    ).toBe('current');
    expect(await cells()).toEqual(countedAs('a', 'rectifying', 2));
  });

  it('finishes a move stopped after its claim (nothing counted yet)', async () => {
    await move('b', { status: 'reported', version: 1 }, null);
    // Step a only: the marker names the next code; the cells never moved.
    await documents().send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: stream('b'), sk: tallyMarkerKey },
        UpdateExpression: 'SET #next = :next',
        ExpressionAttributeNames: { '#next': 'next' },
        ExpressionAttributeValues: { ':next': hazardTally.of(state('b', 'rectifying'), 2).code },
      }),
    );
    expect(
      await move('b', { status: 'closed', version: 5 }, { status: 'rectifying', version: 2 }),
    ).toBe('moved');
    const expected = { ...countedAs('a', 'rectifying', 2) };
    for (const [cell, n] of Object.entries(countedAs('b', 'closed', 5)))
      expected[cell] = (expected[cell] ?? 0) + n;
    expect(await cells()).toEqual(expected);
  });

  it('finishes a move stopped after its count, without counting twice', async () => {
    await move('c', { status: 'reported', version: 1 }, null);
    await move('c', { status: 'verifying', version: 3 }, { status: 'reported', version: 1 });
    // Put back what steps c and d undid: the marker mid-move and the member pending.
    const from = hazardTally.of(state('c', 'reported'), 1).code;
    const to = hazardTally.of(state('c', 'verifying'), 3).code;
    await documents().send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: stream('c'), sk: tallyMarkerKey },
        UpdateExpression: 'SET #code = :from, #next = :to',
        ExpressionAttributeNames: { '#code': 'code', '#next': 'next' },
        ExpressionAttributeValues: { ':from': from, ':to': to },
      }),
    );
    await documents().send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: statisticsPartition('j'), sk: '2026-03' },
        UpdateExpression: 'SET #pending.#m = :to',
        ExpressionAttributeNames: { '#pending': 'pending', '#m': 'c' },
        ExpressionAttributeValues: { ':to': to },
      }),
    );
    const before = await cells();
    // The next write finds the move under way, finishes it (no second count), then moves on.
    expect(
      await move('c', { status: 'closed', version: 4 }, { status: 'verifying', version: 3 }),
    ).toBe('moved');
    const after = await cells();
    const expected = { ...before };
    for (const [cell, n] of Object.entries(
      hazardTally.deltas(to, hazardTally.of(state('c', 'closed'), 4).code),
    )) {
      expected[cell] = (expected[cell] ?? 0) + n;
      if (expected[cell] === 0) delete expected[cell];
    }
    expect(after).toEqual(expected);
    const { Item } = await documents().send(
      new GetCommand({
        TableName: tableName,
        Key: { pk: statisticsPartition('j'), sk: '2026-03' },
      }),
    );
    expect(Item?.pending).toEqual({});
  });
});
