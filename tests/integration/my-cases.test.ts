import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { DynamoHazardLedger } from '@qingling/shared/adapters/dynamodb/hazard-ledger.ts';
import { hazardStream } from '@qingling/shared/hazards/hazard.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud } from '../support/embedded-cloud.ts';
import { giveHazardCommand, recordHazard } from '../support/hazards.ts';

// Issues 14 and 15: "my cases" (我的案件) on the desk: each officer sees the open hazards
// they recorded, not a colleague's of the same jurisdiction; a closed one leaves the list.
const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
const officers = { first: 'cq-gecheng.officer', second: 'cq-gecheng.second_officer' } as const;
type Officer = keyof typeof officers;

beforeAll(async () => {
  cloud = await startTestCloud({ clock });
}, 120_000);
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

const tokenOf = (who: Officer) => signIn(cloud.url, officers[who]);

async function myCases(who: Officer, jurisdiction = 'cq-gecheng') {
  const response = await fetch(`${cloud.url}/api/office/desk?jurisdiction=${jurisdiction}`, {
    headers: { authorization: `Bearer ${await tokenOf(who)}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()).myCases as { hazardId: string; place: string }[];
}

async function record(who: Officer, place: string) {
  const reply = await recordHazard(cloud.url, await tokenOf(who), place, 'general');
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return { id: reply.body.hazard.hazardId as string, revision: reply.body.revision as number };
}

async function command(
  who: Officer,
  hazard: { id: string; revision: number },
  body: Record<string, unknown>,
) {
  const reply = await giveHazardCommand(cloud.url, await tokenOf(who), hazard, body);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  hazard.revision = reply.body.revision;
}

describe("the desk's my cases", () => {
  const mine = { a: { id: '', revision: 0 }, b: { id: '', revision: 0 } };
  let theirs = { id: '', revision: 0 };

  it("lists each officer's own open hazards only, soonest deadline first", async () => {
    Object.assign(mine.a, await record('first', '一号仓库'));
    Object.assign(mine.b, await record('first', '二号仓库'));
    theirs = await record('second', '三号仓库');
    await command('first', mine.b, {
      type: 'start_rectification',
      responsible: '王某',
      measures: '清理安全出口',
      deadline: { date: '2026-12-09' },
    });

    const first = await myCases('first');
    expect(first).toEqual([
      {
        hazardId: mine.b.id,
        place: '二号仓库',
        grade: 'general',
        status: 'rectifying',
        deadline: '2026-12-09T16:00:00.000Z',
        standing: 'due_soon',
        why: ['recorded'],
      },
      {
        hazardId: mine.a.id,
        place: '一号仓库',
        grade: 'general',
        status: 'reported',
        why: ['recorded'],
      },
    ]);
    expect(await myCases('second')).toEqual([
      {
        hazardId: theirs.id,
        place: '三号仓库',
        grade: 'general',
        status: 'reported',
        why: ['recorded'],
      },
    ]);
  });

  it('drops a hazard once it is closed', async () => {
    await command('first', mine.b, { type: 'submit_evidence', note: '已清理', photoKeys: [] });
    await command('first', mine.b, { type: 'pass_verification', note: '核查通过', onSite: true });
    await command('first', mine.b, { type: 'close', note: '销号' });
    expect((await myCases('first')).map((entry) => entry.hazardId)).toEqual([mine.a.id]);
    expect((await myCases('second')).map((entry) => entry.hazardId)).toEqual([theirs.id]);
  });

  it('gives a hazard recorded before recordedBy was kept its recorder, once, at start', async () => {
    const documents = createDocumentClient();
    const tableName = process.env.TABLE_NAME as string;
    // As an older version wrote it: no recordedBy on the state.
    await documents.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: hazardStream(theirs.id), sk: 'STATE' },
        UpdateExpression: 'REMOVE #state.#recordedBy',
        ExpressionAttributeNames: { '#state': 'state', '#recordedBy': 'recordedBy' },
      }),
    );
    expect(await myCases('second')).toEqual([]);
    const ledger = new DynamoHazardLedger(documents, tableName);
    // The cloud's start did it already (nothing then): as after an upgrade, once more.
    expect(await ledger.ensureRecordedBy(['cq-gecheng'])).toBe(0);
    await documents.send(
      new DeleteCommand({ TableName: tableName, Key: { pk: 'LEDGER#RECORDED_BY', sk: 'BUILT' } }),
    );
    expect(await ledger.ensureRecordedBy(['cq-gecheng'])).toBe(1);
    expect((await myCases('second')).map((entry) => entry.hazardId)).toEqual([theirs.id]);
    expect((await myCases('first')).map((entry) => entry.hazardId)).toEqual([mine.a.id]);
  });
});
