import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { DynamoEventStore } from '@qingling/shared/adapters/dynamodb/event-store.ts';
import { waitKey } from '@qingling/shared/adapters/dynamodb/lifecycle-waits.ts';
import { seedCalendar } from '@qingling/shared/calendar/calendar.ts';
import { giveCommand } from '@qingling/shared/hazards/commands.ts';
import { defaultEscalationPolicy } from '@qingling/shared/hazards/escalation.ts';
import { hazardStream } from '@qingling/shared/hazards/hazard.ts';
import { defaultLookBackPolicy } from '@qingling/shared/hazards/look-back.ts';
import { hazardRoutes } from '@qingling/shared/hazards/routes.ts';
import { officeTipRoutes } from '@qingling/shared/tips/routes.ts';
import { tipStream } from '@qingling/shared/tips/tip.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/clock.ts';
import { signIn, startTestCloud, temporaryDataDirectory } from '../support/embedded-cloud.ts';
import { postJson, type ReplyBody, validTip } from '../support/tips.ts';

// Nothing lies forgotten (issues 11 and 17): a record written without its state (kill -9
// between a record's first event and its state), and a decision whose wake-up was lost
// (a crash between the write and the wake), are found by the reconciler, through its two
// indexes (next-due times, recent changes), and their lifecycles run from the record.
const clock = new ManualClock('2026-12-08T02:00:00.000Z'); // Tue 10:00 CST
let data: Awaited<ReturnType<typeof temporaryDataDirectory>>;
let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let officer: string;

const start = async () => {
  cloud = await startTestCloud({ dataDirectory: data.path, clock });
  officer = await signIn(cloud.url, 'cq-gecheng.officer');
};
const documents = () => createDocumentClient();
const tableName = () => process.env.TABLE_NAME as string;
const asOfficer = () => ({ authorization: `Bearer ${officer}` });

async function getJson(path: string): Promise<ReplyBody> {
  const response = await fetch(`${cloud.url}${path}`, { headers: asOfficer() });
  expect(response.status).toBe(200);
  return response.json();
}

const exampleOf = (routes: readonly { operationId: string }[], operationId: string) =>
  (
    routes.find((route) => route.operationId === operationId) as unknown as {
      request: { example: object };
    }
  ).request.example;

beforeAll(async () => {
  data = await temporaryDataDirectory();
  await start();
});
afterAll(async () => {
  await cloud.stop();
  await data.remove();
});

describe('the reconciler', () => {
  it('repairs a tip whose state was never written: back in the inbox, its time limits running', async () => {
    const recorded = await postJson(
      `${cloud.url}/api/office/tips`,
      { ...exampleOf(officeTipRoutes, 'recordOfficeTip'), idempotencyKey: randomUUID() },
      asOfficer(),
    );
    expect(recorded.status).toBe(201);
    const inbox = async () =>
      (await getJson('/api/office/tips?jurisdiction=cq-gecheng&status=received')).tips as {
        tipId: string;
      }[];
    const [tip] = await inbox();
    const tipId = tip?.tipId as string;
    await cloud.tipConductor.settled();

    // kill -9 between the tip's first event and its state: only the event is stored.
    for (const sk of ['STATE', 'WAIT']) {
      await documents().send(
        new DeleteCommand({ TableName: tableName(), Key: { pk: tipStream(tipId), sk } }),
      );
    }
    await cloud.stop();
    await start();
    await cloud.tipConductor.settled();

    expect((await inbox()).map((entry) => entry.tipId)).toContain(tipId);
    const { Item } = await documents().send(
      new GetCommand({ TableName: tableName(), Key: waitKey(tipStream(tipId)) }),
    );
    // Its lifecycle waits for the acceptance reminder (three working days).
    expect(Item?.until).toBeDefined();
    expect(Date.parse(Item?.until as string)).toBeGreaterThan(clock.now().getTime());
  });

  it('wakes a lifecycle that missed a decision, once the decision is older than the grace', async () => {
    const reply = await postJson(
      `${cloud.url}/api/office/hazards`,
      {
        ...exampleOf(hazardRoutes, 'recordHazard'),
        grade: 'general',
        idempotencyKey: randomUUID(),
      },
      asOfficer(),
    );
    expect(reply.status).toBe(201);
    const hazardId = reply.body.hazard.hazardId as string;
    await cloud.conductor.settled();

    // A decision written to the record whose wake-up is lost (the writer died after the write).
    const events = new DynamoEventStore(documents(), tableName());
    const outcome = await giveCommand(
      {
        events,
        clock,
        calendar: seedCalendar,
        policy: defaultEscalationPolicy,
        lookBack: defaultLookBackPolicy,
        workflow: { wake: async () => {} },
      },
      {
        hazardId,
        // Two days ahead: the reminder (three days before the deadline) is due at once.
        command: {
          type: 'start_rectification',
          responsible: '王某',
          measures: '清理出口',
          deadline: { date: '2026-12-10' },
        },
        actor: { kind: 'person', id: 'demo:cq-gecheng.officer' },
        idempotencyKey: randomUUID(),
      },
    );
    expect(outcome.kind).toBe('done');
    const steps = async () =>
      (await events.read(hazardStream(hazardId)))
        .filter((event) => event.type === 'escalation_step_recorded')
        .map((event) => (event.data as { step: string }).step);
    await cloud.reconcile();
    await cloud.conductor.settled();
    // Within the grace a lifecycle may still be on its way: nothing is forced.
    expect(await steps()).toEqual([]);

    clock.advance(16 * 60 * 1000);
    await cloud.reconcile();
    await cloud.conductor.settled();
    expect(await steps()).toEqual(['reminder']);
    // Swept again: the lifecycle has seen the decision, nothing is done twice.
    await cloud.reconcile();
    await cloud.conductor.settled();
    expect(await steps()).toEqual(['reminder']);
  });
});

describe('the reconciler on a quiet system', () => {
  it('wakes no lifecycle for what no lifecycle plans from: messages and photo slots', async () => {
    const created = await postJson(`${cloud.url}/api/tips`, validTip());
    expect(created.status).toBe(201);
    const receipt = created.body.receipt as string;
    await cloud.tipConductor.settled();
    const tipId = (
      (await getJson('/api/office/tips?jurisdiction=cq-gecheng&status=received')).tips as {
        tipId: string;
      }[]
    )[0]?.tipId as string;
    const asked = await postJson(
      `${cloud.url}/api/office/tips/${tipId}/questions`,
      { idempotencyKey: randomUUID(), text: '请问堵塞的是哪一个出口？' },
      asOfficer(),
    );
    expect(asked.status).toBe(201);
    const replied = await postJson(`${cloud.url}/api/tips/messages`, {
      receipt,
      idempotencyKey: randomUUID(),
      text: '北侧的安全出口，晚上八点以后最严重。',
    });
    expect(replied.status).toBe(201);
    const slots = await postJson(`${cloud.url}/api/tips/photo-uploads`, { receipt, count: 1 });
    expect(slots.status).toBe(201);
    await cloud.tipConductor.settled();
    await cloud.conductor.settled();

    // Past the grace, the sweep finds every change seen: it wakes nothing, warns of nothing
    // (on AWS each wake is a LifecyclesRepaired, an alarm on a healthy system).
    clock.advance(16 * 60 * 1000);
    expect(await cloud.reconcile()).toMatchObject({ unseenChanges: 0, woken: 0 });
  });
});
