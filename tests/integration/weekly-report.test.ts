import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { readPartition } from '@qingling/shared/adapters/dynamodb/index-page.ts';
import { deskLedgerStatuses } from '@qingling/shared/hazards/desk.ts';
import { type HazardState, hazardLedgerPartition } from '@qingling/shared/hazards/hazard.ts';
import { subtreeOf } from '@qingling/shared/hazards/statistics.ts';
import {
  reportWeek,
  weeklyRecount,
  weeklyReportRecipients,
} from '@qingling/shared/hazards/weekly-report.ts';
import { seedData } from '@qingling/shared/reference/reference-data.ts';
import { tipStatuses } from '@qingling/shared/tips/schemas.ts';
import { type TipState, tipInboxPartition } from '@qingling/shared/tips/tip-state.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud, temporaryDataDirectory } from '../support/embedded-cloud.ts';
import { giveHazardCommand, recordHazard } from '../support/hazards.ts';
import { readStatisticsWorkbook } from '../support/statistics-xlsx.ts';
import { postJson, validTip } from '../support/tips.ts';

// Issue 15: the weekly report to each leader, Monday 09:00 CST, through the notification
// port, exactly once per leader per week: the clock crosses two Mondays, the cloud restarts
// in between (after a crash that lost the record of the week sent), and each leader of each
// jurisdiction has one message a week, whose numbers are those of a count of the records.
const clock = new ManualClock('2026-11-24T02:00:00.000Z'); // Tue 10:00 CST
let data: Awaited<ReturnType<typeof temporaryDataDirectory>>;
let cloud: Awaited<ReturnType<typeof startTestCloud>>;

const jurisdictions = seedData.jurisdictions.map((entry) => entry.code);
const start = () => startTestCloud({ clock, dataDirectory: data.path });

async function weeklyMessages() {
  return (await cloud.outbox.list()).filter((entry) => entry.key.startsWith('weekly-report#'));
}

async function storedStates<State>(partitions: string[]): Promise<State[]> {
  const documents = createDocumentClient();
  const pages = await Promise.all(
    partitions.map((partition) =>
      readPartition(documents, {
        tableName: process.env.TABLE_NAME as string,
        partition,
        projection: '#state',
        names: { '#state': 'state' },
      }),
    ),
  );
  return pages.flat().map((item) => item.state as State);
}

/** The week's numbers counted hazard by hazard and tip by tip, for a jurisdiction's tree. */
async function recounted(root: string) {
  const tree = subtreeOf(root, seedData.jurisdictions);
  const hazards = await storedStates<HazardState>(
    tree.flatMap((code) => deskLedgerStatuses.map((status) => hazardLedgerPartition(code, status))),
  );
  const tips = await storedStates<TipState>(
    tree.flatMap((code) => tipStatuses.map((status) => tipInboxPartition(code, status))),
  );
  return weeklyRecount(hazards, tips, {
    jurisdictions: tree,
    week: reportWeek(clock.now()),
    now: clock.now(),
  });
}

/** Moves the clock and lets the lifecycles run what came due (escalation steps). */
async function advanceTo(iso: string) {
  clock.set(iso);
  cloud.conductor.tick();
  await cloud.conductor.settled();
}

beforeAll(async () => {
  data = await temporaryDataDirectory();
  cloud = await start();
}, 60_000);
afterAll(async () => {
  await cloud?.stop();
  await data?.remove();
});

describe('the weekly report to the leaders', () => {
  it('sends the week gone to each leader once, Monday 09:00 CST, across a restart', async () => {
    // The first start sends nothing for the week before it.
    await cloud.weeklyReports();
    expect(await weeklyMessages()).toEqual([]);

    // The week of 2026-11-23: hazards found, one closed, one overdue (its ladder fires), a
    // major one open, and a tip.
    const token = await signIn(cloud.url, 'cq-gecheng.officer');
    const closed = await recordHazard(cloud.url, token, '二号仓库', 'general');
    const hazard = { id: closed.body.hazard.hazardId, revision: closed.body.revision };
    for (const body of [
      {
        type: 'start_rectification',
        responsible: '王某',
        measures: '清理通道',
        deadline: { date: '2026-11-30' },
      },
      { type: 'submit_evidence', note: '已清理', photoKeys: [] },
      { type: 'pass_verification', note: '现场核查通过', onSite: true },
      { type: 'close', note: '销号' },
    ]) {
      const reply = await giveHazardCommand(cloud.url, token, hazard, body);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      hazard.revision = reply.body.revision;
    }
    const late = await recordHazard(cloud.url, token, '一号仓库', 'general');
    const rectify = await giveHazardCommand(
      cloud.url,
      token,
      { id: late.body.hazard.hazardId, revision: late.body.revision },
      {
        type: 'start_rectification',
        responsible: '王某',
        measures: '更换灭火器',
        deadline: { date: '2026-11-25' },
      },
    );
    expect(rectify.status, JSON.stringify(rectify.body)).toBe(200);
    expect((await recordHazard(cloud.url, token, '四号罐区', 'major')).status).toBe(201);
    expect((await postJson(`${cloud.url}/api/tips`, validTip())).status).toBe(201);
    // A tip's intake leaves its counting to the reconciler's next sweep (its write budget).
    await advanceTo('2026-11-24T02:20:00.000Z');
    await cloud.reconcile();
    await advanceTo('2026-11-27T02:00:00.000Z'); // Fri: the deadline has passed
    await advanceTo('2026-11-29T12:00:00.000Z'); // Sun 20:00
    // Escalation steps' days are counted by the reconciler's sweep (every five minutes),
    // not on the steps' turns: one runs before Monday morning.
    await cloud.reconcile();

    // Monday 08:59: not yet.
    await advanceTo('2026-11-30T00:59:00.000Z');
    await cloud.weeklyReports();
    expect(await weeklyMessages()).toEqual([]);

    // Monday 09:00: each leader of each jurisdiction, once.
    await advanceTo('2026-11-30T01:00:00.000Z');
    await cloud.weeklyReports();
    await cloud.weeklyReports();
    const first = await weeklyMessages();
    const expectedKeys = (week: string) =>
      jurisdictions
        .flatMap((code) =>
          weeklyReportRecipients.map((recipient) => `weekly-report#${code}#${week}#${recipient}`),
        )
        .sort();
    expect(first.map((entry) => entry.key).sort()).toEqual(expectedKeys('2026-11-23'));
    const gecheng = first.find(
      (entry) => entry.key === 'weekly-report#cq-gecheng#2026-11-23#leader_in_charge',
    );
    expect(gecheng?.to).toBe('leader_in_charge@cq-gecheng');
    // The numbers are those of a count of the records themselves.
    const numbers = await recounted('cq-gecheng');
    expect(numbers).toMatchObject({
      found: 3,
      closed: 1,
      openMajor: 1,
      overdue: 1,
      tipsReceived: 1,
    });
    expect(numbers.escalations).toBeGreaterThan(0);
    const zh = gecheng?.body.zh ?? '';
    expect(zh).toContain('2026-11-23 至 2026-11-29');
    expect(zh).toContain(`新发现隐患 ${numbers.found} 项，销号 ${numbers.closed} 项`);
    expect(zh).toContain(`重大事故隐患未销号 ${numbers.openMajor} 项`);
    // Open and overdue as the week ended (Sunday 24:00), whenever it is read.
    expect(zh).toContain(`截至 2026-11-29 24 时重大事故隐患未销号 ${numbers.openMajor} 项`);
    expect(zh).toContain(`超期未整改 ${numbers.overdue} 项`);
    expect(zh).toContain(`本周督办升级 ${numbers.escalations} 次`);
    expect(zh).toContain(
      `收到举报 ${numbers.tipsReceived} 件，查证属实 ${numbers.tipsSubstantiated} 件`,
    );
    expect(zh).toContain(
      `${cloud.url}/office/statistics/weekly?jurisdiction=cq-gecheng&week=2026-11-23`,
    );
    expect(gecheng?.body.en).toContain(
      `${cloud.url}/en/office/statistics/weekly?jurisdiction=cq-gecheng&week=2026-11-23`,
    );
    expect(gecheng?.subject.en).toBe(
      'Weekly hazard report: Gecheng Subdistrict, Chongqing (2026-11-23 to 2026-11-29)',
    );

    // The same numbers on the weekly report's page and in its .xlsx, for reporting upward:
    // any day of the week names it; the week not yet begun is refused.
    const leader = await signIn(cloud.url, 'cq-gecheng.leader_in_charge');
    const weekly = (search: string) =>
      fetch(`${cloud.url}/api/office/statistics/weekly?jurisdiction=cq-gecheng&${search}`, {
        headers: { authorization: `Bearer ${leader}` },
      });
    const answer = await weekly('week=2026-11-26');
    expect(answer.status).toBe(200);
    const report = (await answer.json()) as {
      week: { from: string; to: string };
      rows: (typeof numbers & { jurisdiction: string; depth: number })[];
    };
    expect(report.week).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(report.rows).toEqual([
      { jurisdiction: 'cq-gecheng', zh: '葛城街道', en: expect.any(String), depth: 0, ...numbers },
    ]);
    expect(await (await weekly('')).json()).toEqual(report);
    const file = await weekly('week=2026-11-23&format=xlsx');
    expect(file.headers.get('content-disposition')).toContain(
      encodeURIComponent('隐患排查治理周报_cq-gecheng_2026-11-23_2026-11-29.xlsx'),
    );
    const sheet = await readStatisticsWorkbook(new Uint8Array(await file.arrayBuffer()));
    expect(sheet.numbers.get('周报 Weekly report')).toEqual([
      [
        expect.stringContaining('葛城街道'),
        'cq-gecheng',
        numbers.found,
        numbers.closed,
        numbers.openMajor,
        numbers.overdue,
        numbers.escalations,
        numbers.tipsReceived,
        numbers.tipsSubstantiated,
      ],
    ]);
    expect(sheet.headings.get('周报 Weekly report')?.banner).toContain('2026-11-23 至 2026-11-29');
    const notBegun = await weekly('week=2026-12-07');
    expect(notBegun.status).toBe(400);
    expect((await notBegun.json()).error.issues[0].message.en).toBe('That week has not begun yet.');

    // A crash after the messages went but before the week was recorded as sent: the
    // restart sends the week again, and the keys make that change nothing.
    await createDocumentClient().send(
      new PutCommand({
        TableName: process.env.TABLE_NAME as string,
        Item: { pk: 'WEEKLY_REPORTS', sk: 'THROUGH', week: '2026-11-16' },
      }),
    );
    await cloud.stop();
    clock.set('2026-11-30T02:00:00.000Z');
    cloud = await start();
    expect((await weeklyMessages()).map((entry) => entry.key).sort()).toEqual(
      expectedKeys('2026-11-23'),
    );

    // The next Monday 09:00: the next week's, once more per leader.
    await advanceTo('2026-12-07T00:59:59.000Z');
    await cloud.weeklyReports();
    expect(await weeklyMessages()).toHaveLength(first.length);
    await advanceTo('2026-12-07T01:00:00.000Z');
    await cloud.weeklyReports();
    const both = (await weeklyMessages()).map((entry) => entry.key).sort();
    expect(both).toEqual([...expectedKeys('2026-11-23'), ...expectedKeys('2026-11-30')].sort());
    // One message per leader per week, nothing twice.
    expect(new Set(both).size).toBe(both.length);
  }, 120_000);
});
