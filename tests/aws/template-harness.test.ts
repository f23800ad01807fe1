import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { DynamoEventStore } from '@qingling/shared/adapters/dynamodb/event-store.ts';
import { countersFormat } from '@qingling/shared/adapters/dynamodb/hazard-statistics.ts';
import { routes } from '@qingling/shared/api/routes.ts';
import type { Role } from '@qingling/shared/auth/principal.ts';
import { verifyChain } from '@qingling/shared/event-log/event-log.ts';
import { thumbnailKeyOf } from '@qingling/shared/hazards/evidence.ts';
import { ledgerHeaderRow, ledgerSheetName } from '@qingling/shared/hazards/ledger-workbook.ts';
import { tipProjection } from '@qingling/shared/tips/tip-projection.ts';
import { tipStream, tipsterActor } from '@qingling/shared/tips/tip-state.ts';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestHarnessAssembly, synthesizeForHarness } from '../../infra/harness/assembly.ts';
import { TemplateHarness } from '../../infra/harness/harness.ts';
import {
  administratorJourney,
  anonymousTipJourney,
  hazardLifecycleJourney,
  healthJourney,
  type JourneyTarget,
  tipFindingJourney,
  tipWithPhotoJourney,
} from '../../infra/harness/journeys.ts';
import { DeployedTemplate, type TemplateJson } from '../../infra/harness/template.ts';
import { runSmoke } from '../../scripts/smoke.ts';
import { stepsToAReward, validTip } from '../support/tips.ts';

const recordHazardExample = () =>
  structuredClone(
    (routes as readonly { operationId: string; request?: { example: unknown } }[]).find(
      (route) => route.operationId === 'recordHazard',
    )?.request?.example,
  ) as Record<string, unknown>;

/**
 * The synthesized template, executed: every function from its bundle with the environment
 * and role the template gives it, each AWS call held to that role's policies. A missing
 * grant or variable fails here, naming the action and resource, not on a first deploy.
 */
let assembly: string;
let harness: TemplateHarness;
/** Problems are kept for the whole run: each test looks at its own. */
let problemsSeen = 0;
const newProblems = () => {
  const all = harness.problems();
  const fresh = all.slice(problemsSeen);
  problemsSeen = all.length;
  return fresh;
};

/** The template's table, written to directly (as a crash or a lost item leaves it). */
const recordsTable = () => ({
  dynamo: new DynamoDBClient({
    endpoint: harness.dynamodb.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  }),
  tableName: harness.template.ref(
    harness.template.ofType('AWS::DynamoDB::Table')[0]?.logicalId ?? '',
  ),
});

const targetOf = (running: TemplateHarness): JourneyTarget => ({
  apiUrl: running.apiUrl,
  tokenFor: (role: Role, jurisdiction: string) =>
    running.tokenFor({
      userId: `harness-${role}`,
      name: `Harness ${role}`,
      roles: [role],
      jurisdictions: [jurisdiction],
    }),
  pause: async (milliseconds) => {
    await running.settled();
    await new Promise((resolve) => setTimeout(resolve, Math.min(milliseconds, 100)));
  },
});

/** A hazard at a shop whose person in charge has `phone`, its rectification started. */
async function shopHazardUnderRectification(running: TemplateHarness, phone: string) {
  const officer = await targetOf(running).tokenFor('officer', 'cq-gecheng');
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${officer}` };
  const { enterprise: _enterprise, standard: _standard, ...facts } = recordHazardExample();
  const site = { name: '老王便利店', address: '格城区南街 7 号', kind: 'shop' };
  const recorded = await fetch(`${running.apiUrl}/api/office/hazards`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      ...facts,
      idempotencyKey: randomUUID(),
      grade: 'general',
      site: { ...site, personInCharge: '王某', phone },
    }),
  });
  expect(recorded.status, await recorded.clone().text()).toBe(201);
  const page = (await recorded.json()) as { hazard: { hazardId: string }; revision: number };
  const started = await fetch(
    `${running.apiUrl}/api/office/hazards/${page.hazard.hazardId}/commands`,
    {
      method: 'POST',
      headers,
      body: JSON.stringify({
        idempotencyKey: randomUUID(),
        expectedRevision: page.revision,
        command: {
          type: 'start_rectification',
          responsible: '王某',
          measures: '清理后门',
          deadline: { workingDays: 20 },
        },
      }),
    },
  );
  expect(started.status, await started.clone().text()).toBe(200);
  return page.hazard.hazardId;
}

/**
 * The SMS texted to `phone`, once Plan, Escalate, the topic, the queue and the delivery
 * have each had their turn (as the journeys wait: settled, between short pauses).
 */
async function textedTo(running: TemplateHarness, phone: string, tries = 200) {
  const texted = () => running.messaging.sent.filter((message) => message.to === `+86${phone}`);
  for (let tried = 0; tried < tries && texted().length === 0; tried += 1) {
    await targetOf(running).pause(100);
  }
  return texted();
}

beforeAll(async () => {
  // HARNESS_REUSE=1 reuses the last assembly while working on the harness itself.
  const reusable = process.env.HARNESS_REUSE ? latestHarnessAssembly() : undefined;
  assembly = reusable ?? synthesizeForHarness();
  harness = await TemplateHarness.start(DeployedTemplate.fromAssembly(assembly));
}, 300_000);

afterAll(async () => {
  await harness?.stop();
});

describe('the synthesized template, run with each role enforced', () => {
  it('seeds itself on deploy and answers health with a jurisdiction to report to', async () => {
    // The seed data, and the renewal sweep of lifecycles on an older definition (none yet).
    expect(
      [...harness.customResources.entries()]
        .map(([logicalId, answer]) => `${logicalId.replace(/[0-9A-F]{8}$/, '')} ${answer.Status}`)
        .sort(),
    ).toEqual(['LifecycleRenewOntoNewDefinitions SUCCESS', 'SeedAppliedByAlias SUCCESS']);
    await healthJourney(targetOf(harness));
    expect(harness.problems()).toEqual([]);
    problemsSeen = harness.problems().length;
  });

  it('refuses a tip or a hazard for a jurisdiction that does not exist, whatever the token says', async () => {
    const target = targetOf(harness);
    const nowhere = 'xx-nowhere';
    const tip = await fetch(`${harness.apiUrl}/api/tips`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...validTip(), jurisdiction: nowhere }),
    });
    expect(tip.status).toBe(400);
    const hazard = await fetch(`${harness.apiUrl}/api/office/hazards`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await target.tokenFor('officer', nowhere)}`,
      },
      body: JSON.stringify({
        ...recordHazardExample(),
        idempotencyKey: randomUUID(),
        jurisdiction: nowhere,
      }),
    });
    expect(hazard.status).toBe(400);
    expect(JSON.stringify(await hazard.json())).toContain('There is no such jurisdiction.');
    expect(newProblems()).toEqual([]);
  });

  it('takes an anonymous tip, gives a receipt and follows it up', async () => {
    await anonymousTipJourney(targetOf(harness));
    expect(newProblems()).toEqual([]);
  });

  it('takes a tip to a finding that names the hazard recorded from it', async () => {
    const { tipId, hazardId } = await tipFindingJourney(targetOf(harness));
    expect(tipId).toMatch(/^[a-z2-7]{26}$/);
    expect(hazardId).toMatch(/^[a-z2-7]{26}$/);
    expect(newProblems()).toEqual([]);
  });

  it('takes a photo through the signed form and keeps it stripped of its metadata', async () => {
    const photo = await sharp({
      create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 80, b: 40 } },
    })
      .jpeg()
      .withExif({ IFD0: { Make: 'SecretPhone', Artist: '张三' } })
      .toBuffer();
    const { photos } = await tipWithPhotoJourney(targetOf(harness), photo);
    expect(photos).toBe(1);
    const bucket = harness.template.ref(
      harness.template
        .ofType('AWS::S3::Bucket')
        .find(({ logicalId }) => logicalId.startsWith('Evidence'))?.logicalId ?? '',
    );
    const keys = harness.s3.objects(bucket);
    expect(keys.filter((key) => key.startsWith('incoming/'))).toEqual([]);
    // Not even as a noncurrent version of the versioned bucket: the original is gone.
    expect(
      harness.s3.storedVersions(bucket).filter(({ key }) => key.startsWith('incoming/')),
    ).toEqual([]);
    const [stored] = keys.filter((key) => key.startsWith('tips/'));
    const body = harness.s3.object(bucket, stored ?? '')?.body ?? Buffer.alloc(0);
    expect((await sharp(body).metadata()).exif).toBeUndefined();
    expect(body.includes('SecretPhone')).toBe(false);
    expect(newProblems()).toEqual([]);
  });

  it('refuses what is no photo on the tip for the tipster to see, and keeps the first upload of a form', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${harness.apiUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const created = await post('/api/tips', validTip({ photoCount: 2 }));
    expect(created.status).toBe(201);
    const { receipt, photoUploads } = (await created.json()) as {
      receipt: string;
      photoUploads: { url: string; fields: Record<string, string> }[];
    };
    const upload = async (index: number, bytes: Uint8Array, type: string) => {
      const form = new FormData();
      const fields = photoUploads[index]?.fields ?? {};
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      if (!('Content-Type' in fields)) form.append('Content-Type', type);
      form.append('file', new Blob([new Uint8Array(bytes)], { type }), 'photo');
      return (await fetch(photoUploads[index]?.url ?? '', { method: 'POST', body: form })).status;
    };
    const jpeg = (width: number) =>
      sharp({ create: { width, height: 48, channels: 3, background: '#367' } })
        .jpeg()
        .toBuffer();
    const bucket = harness.template.ref(
      harness.template
        .ofType('AWS::S3::Bucket')
        .find(({ logicalId }) => logicalId.startsWith('Evidence'))?.logicalId ?? '',
    );
    const storedBefore = new Set(harness.s3.objects(bucket));
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>');
    expect(await upload(0, svg, 'image/png')).toBeLessThan(300);
    expect(await upload(1, await jpeg(64), 'image/jpeg')).toBeLessThan(300);
    await harness.settled();
    // S3 takes the form a second time; the photo processor keeps the first upload.
    expect(await upload(1, await jpeg(96), 'image/jpeg')).toBeLessThan(300);
    await harness.settled();

    const seen = (await (await post('/api/tips/lookup', { receipt })).json()) as {
      photos: number;
      photoSlots: { status: string; reason?: { en: string } }[];
    };
    expect(seen.photos).toBe(1);
    expect(seen.photoSlots.map((slot) => slot.status)).toEqual(['refused', 'arrived']);
    expect(seen.photoSlots[0]?.reason?.en).toContain('not a photo');
    // The first upload's photo and its thumbnail, beside it under its own grant: nothing else.
    const added = harness.s3.objects(bucket).filter((key) => !storedBefore.has(key));
    const photoKey = added.find((key) => !key.endsWith('-thumb.jpg')) ?? '';
    expect(added.sort()).toEqual([photoKey, thumbnailKeyOf(photoKey)].sort());
    const kept = harness.s3.object(bucket, photoKey)?.body ?? Buffer.alloc(0);
    expect((await sharp(kept).metadata()).width).toBe(64);
    expect(
      harness.s3.storedVersions(bucket).filter(({ key }) => key.startsWith('incoming/')),
    ).toEqual([]);
    expect(newProblems()).toEqual([]);
  });

  it('runs a major hazard lifecycle: plans, tells the enterprise, waits, and the link opens', async () => {
    const { hazardId, enterprise } = await hazardLifecycleJourney(targetOf(harness));
    await harness.settled();
    const [execution] = harness.stepFunctions.executionsNamed(hazardId);
    expect(execution?.status).toBe('RUNNING');
    // Told at the mobiles on the enterprise register, through topic, queue and function.
    const people = enterprise as unknown as {
      principal: { mobile: string };
      controller: { mobile: string };
    };
    const texted = harness.messaging.sent.filter((message) => message.channel === 'sms');
    expect(texted.map((message) => message.to).sort()).toEqual(
      [people.principal.mobile, people.controller.mobile].map((mobile) => `+86${mobile}`).sort(),
    );
    expect(texted.map((message) => message.attributes?.['AWS.SNS.SMS.SMSType'])).toEqual([
      'Transactional',
      'Transactional',
    ]);
    expect(texted.every((message) => message.text.length > 0)).toBe(true);
    // What operators watch, written by the functions as CloudWatch metrics.
    const metrics = harness.metrics();
    expect(metrics.TipsReceived).toBeGreaterThanOrEqual(1);
    expect(metrics.LifecyclesStarted).toBeGreaterThanOrEqual(1);
    expect(metrics.NotificationsDelivered).toBeGreaterThanOrEqual(2);
    expect(metrics.DeliveriesFailed ?? 0).toBe(0);
    expect(newProblems()).toEqual([]);
  });

  it('exports the ledger as .xlsx: the route records the job and invokes the worker, which writes exports/ with its own role', async () => {
    const target = targetOf(harness);
    const { hazardId } = await hazardLifecycleJourney(target);
    await harness.settled();
    newProblems();
    const token = await target.tokenFor('officer', 'cq-gecheng');
    const reply = await fetch(
      `${harness.apiUrl}/api/office/hazard-ledger?jurisdiction=cq-gecheng&format=xlsx`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(reply.status).toBe(200);
    const asked = (await reply.json()) as { export: { exportId: string; status: string } };
    expect(asked.export.status).toBe('running');
    // Lambda's asynchronous invocation, held to the asking role's grant, ran the worker.
    await harness.settled();
    const functionStarting = (prefix: string) => {
      const found = [...harness.runtime.functions.values()].find((fn) =>
        fn.logicalId.startsWith(prefix),
      );
      if (!found) throw new Error(`no function ${prefix}`);
      return found;
    };
    const worker = functionStarting('LedgerExportsWorker');
    expect(worker.environment).toMatchObject({ TABLE_NAME: expect.any(String) });
    expect(worker.timeoutSeconds).toBe(900);
    expect(harness.runtime.invocations.map((each) => each.functionName)).toContain(
      worker.logicalId,
    );
    const asker = functionStarting('ExportHazardLedgerHandler');
    expect(worker.roleLogicalId).not.toBe(asker.roleLogicalId);
    expect(
      harness.endpoint.authority.allowed.some(
        ({ role, request }) =>
          role === asker.roleLogicalId &&
          request.action === 'lambda:InvokeFunction' &&
          request.resource.endsWith(`${worker.name}:live`),
      ),
    ).toBe(true);
    const status = await fetch(
      `${harness.apiUrl}/api/office/hazard-ledger/exports?jurisdiction=cq-gecheng&exportId=${asked.export.exportId}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(status.status).toBe(200);
    const [answer] = (
      (await status.json()) as {
        exports: { status: string; url: string; rows: number; fileName: string }[];
      }
    ).exports;
    if (!answer) throw new Error('no export');
    expect(answer.status).toBe('done');
    expect(answer.rows).toBeGreaterThanOrEqual(1);
    const link = new URL(answer.url);
    expect(link.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(link.searchParams.get('X-Amz-Expires')).toBe('900');
    const bucket = harness.template.ref(
      harness.template
        .ofType('AWS::S3::Bucket')
        .find(({ logicalId }) => logicalId.startsWith('Evidence'))?.logicalId ?? '',
    );
    const key = decodeURIComponent(link.pathname).split('/').slice(2).join('/');
    expect(key).toMatch(/^exports\/hazard-ledger\/cq-gecheng\/.+\.xlsx$/);
    const stored = harness.s3.object(bucket, key);
    expect(stored?.contentType).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(stored?.body as never);
    const ids: string[] = [];
    workbook.getWorksheet(ledgerSheetName)?.eachRow((row, number) => {
      if (number > ledgerHeaderRow) ids.push(String(row.getCell(2).value));
    });
    expect(ids).toContain(hazardId);
    expect(newProblems()).toEqual([]);
  });

  it('answers a read from the log when the current state lags it (read-only roles leave the repair)', async () => {
    const target = targetOf(harness);
    const { hazardId } = await hazardLifecycleJourney(target);
    await harness.settled();
    newProblems();
    // As if an append stopped between its two writes: the state item is gone.
    const { dynamo, tableName } = recordsTable();
    await dynamo.send(
      new DeleteItemCommand({
        TableName: tableName,
        Key: { pk: { S: `HAZARD#${hazardId}` }, sk: { S: 'STATE' } },
      }),
    );
    dynamo.destroy();
    const token = await target.tokenFor('officer', 'cq-gecheng');
    const reply = await fetch(`${harness.apiUrl}/api/office/hazards/${hazardId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(reply.status).toBe(200);
    expect(((await reply.json()) as { hazard: { hazardId: string } }).hazard.hazardId).toBe(
      hazardId,
    );
    // Its read-only role does not even try the repair write it may not make.
    expect(newProblems()).toEqual([]);
  });

  it('reconciles with its own role: repairs a record whose state was lost and starts its lifecycle again', async () => {
    const { hazardId } = await hazardLifecycleJourney(targetOf(harness));
    await harness.settled();
    newProblems();
    // As if the lifecycle's own items were lost with its execution: no state, no WAIT item.
    const { dynamo, tableName } = recordsTable();
    for (const sk of ['STATE', 'WAIT']) {
      await dynamo.send(
        new DeleteItemCommand({
          TableName: tableName,
          Key: { pk: { S: `HAZARD#${hazardId}` }, sk: { S: sk } },
        }),
      );
    }
    const reconciler = [...harness.runtime.functions.values()].find((fn) =>
      fn.logicalId.startsWith('LifecycleReconcile'),
    );
    expect(reconciler, 'the template has a reconciler function').toBeDefined();
    const result = (await harness.runtime.invoke(reconciler?.logicalId ?? '', {
      graceSeconds: 0,
    })) as { unseenChanges: number; woken: number };
    await harness.settled();
    expect(result.woken).toBeGreaterThanOrEqual(1);
    // The record's state is back (the reconciler's read repaired it) and a new generation runs.
    const { Item } = await dynamo.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { pk: { S: `HAZARD#${hazardId}` }, sk: { S: 'STATE' } },
      }),
    );
    dynamo.destroy();
    expect(Item?.version?.N).toBeDefined();
    // Seen failing once, at load 14 beside other files (no execution -2): say what ran.
    const seen = JSON.stringify({
      result,
      executions: harness.stepFunctions
        .executionsNamed(hazardId)
        .map((execution) => `${execution.name} ${execution.status}`),
    });
    expect(
      harness.stepFunctions.executionsNamed(`${hazardId}-2`).map((execution) => execution.status),
      seen,
    ).toEqual(['RUNNING']);
    expect(harness.metrics().LifecyclesRepaired).toBeGreaterThanOrEqual(1);
    expect(newProblems()).toEqual([]);
  });

  it('publishes a day of chain heads with its own role: jurisdictions, days and the ledger index only', async () => {
    await hazardLifecycleJourney(targetOf(harness));
    await harness.settled();
    newProblems();
    const publisher = [...harness.runtime.functions.values()].find((fn) =>
      fn.logicalId.startsWith('ChainHeadsPublish'),
    );
    expect(publisher, 'the template has a chain heads publisher').toBeDefined();
    // Every hazard's head read from the ledger's partitions (Queries held to HAZARDS#*), the
    // day written once: a second run finds it published.
    const first = (await harness.runtime.invoke(publisher?.logicalId ?? '', {})) as {
      kind: string;
    };
    const again = (await harness.runtime.invoke(publisher?.logicalId ?? '', {})) as {
      kind: string;
    };
    expect([first.kind, again.kind]).toEqual(['published', 'already']);
    expect(newProblems()).toEqual([]);
  });

  it('renews running lifecycles onto a new definition: the deploy wakes them, Plan hands over', async () => {
    const { hazardId } = await hazardLifecycleJourney(targetOf(harness));
    await harness.settled();
    newProblems();
    const functionNamed = (prefix: string) =>
      [...harness.runtime.functions.values()].find((fn) => fn.logicalId.startsWith(prefix))
        ?.logicalId ?? prefix;
    // Plan, handed an execution of an older definition, asks the state machine (its role may
    // describe it) and renews.
    const [execution] = harness.stepFunctions.executionsNamed(hazardId);
    const planned = (await harness.runtime.invoke(functionNamed('LifecyclePlan'), {
      hazardId,
      generation: 1,
      turn: 3,
      definition: '0000000000000000',
      stateMachineArn: execution?.machine.arn,
    })) as { action: string };
    expect(planned.action).toBe('renew');
    // The deploy's sweep wakes the lifecycles whose WAIT item names an older definition.
    const { dynamo, tableName } = recordsTable();
    await dynamo.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { pk: { S: `HAZARD#${hazardId}` }, sk: { S: 'WAIT' } },
        UpdateExpression: 'SET #definition = :older',
        ExpressionAttributeNames: { '#definition': 'definition' },
        ExpressionAttributeValues: { ':older': { S: '0000000000000000' } },
      }),
    );
    dynamo.destroy();
    const swept = (await harness.runtime.invoke(functionNamed('LifecycleReconcile'), {
      renewDefinitions: true,
    })) as { woken: number };
    await harness.settled();
    expect(swept.woken).toBe(1);
    expect(newProblems()).toEqual([]);
  });

  it('backfills, from its scheduled run, the data an upgraded stack wrote before the statistics, the ledger filters and my cases', async () => {
    // Two hazards of one officer, recorded through the API as this version writes them, in
    // a jurisdiction no other test writes to (its statistics are these two alone).
    const jurisdiction = 'fj-xiamen-xiangan';
    const officer = await harness.tokenFor({
      userId: 'harness-backfill-officer',
      name: 'Harness backfill officer',
      roles: ['officer'],
      jurisdictions: [jurisdiction],
    });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${officer}` };
    const recorded: string[] = [];
    const { enterprise: _enterprise, ...facts } = recordHazardExample();
    for (const grade of ['major', 'general']) {
      const reply = await fetch(`${harness.apiUrl}/api/office/hazards`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          ...facts,
          jurisdiction,
          idempotencyKey: randomUUID(),
          grade,
          site: {
            name: '翔安码头仓库',
            address: '翔安区南路 3 号',
            kind: 'shop',
            personInCharge: '陈某',
            phone: '13900000077',
          },
        }),
      });
      expect(reply.status, await reply.clone().text()).toBe(201);
      recorded.push(((await reply.json()) as { hazard: { hazardId: string } }).hazard.hazardId);
    }
    await harness.settled();
    newProblems();
    const read = async (path: string) => {
      const reply = await fetch(`${harness.apiUrl}${path}`, { headers });
      expect(reply.status, path).toBe(200);
      return reply.json();
    };
    const statistics = async () => {
      const { asOf: _asOf, ...figures } = await read(
        `/api/office/statistics?jurisdiction=${jurisdiction}`,
      );
      return figures;
    };
    const majorLedger = async () =>
      (
        (await read(
          `/api/office/hazards?jurisdiction=${jurisdiction}&status=reported&grade=major`,
        )) as {
          hazards: { hazardId: string }[];
        }
      ).hazards.map((hazard) => hazard.hazardId);
    const myCases = async () =>
      (
        (await read(`/api/office/desk?jurisdiction=${jurisdiction}`)) as {
          myCases: { hazardId: string }[];
        }
      ).myCases
        .map((entry) => entry.hazardId)
        .sort();
    const expected = {
      statistics: await statistics(),
      ledger: await majorLedger(),
      mine: await myCases(),
    };
    expect(expected.ledger).toEqual([recorded[0]]);
    expect(expected.statistics).toMatchObject({ inflow: { found: 2, open: 2 } });
    expect(expected.mine).toEqual([...recorded].sort());

    // The table as a version before those features left it: no counters or their markers,
    // no index attributes of the filtered ledger, no recordedBy, and none of the backfills'
    // markers (every record of the table, the earlier tests' too).
    const { dynamo, tableName } = recordsTable();
    const backfillMarkers = [
      { pk: 'HAZARD#HISTORY', sk: 'BUILT' },
      { pk: 'HAZARD#STATS#', sk: `BUILT#${countersFormat}` },
      { pk: 'LEDGER#INDEXES', sk: 'BUILT' },
      { pk: 'LEDGER#RECORDED_BY', sk: 'BUILT' },
    ];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await dynamo.send(
        new ScanCommand({
          TableName: tableName,
          ProjectionExpression: 'pk, sk',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const { pk, sk } of page.Items ?? []) {
        const key = { pk: pk as AttributeValue, sk: sk as AttributeValue };
        const counter = /^(HAZARD|TIP)#STATS#/.test(pk?.S ?? '') || sk?.S === 'TALLY';
        const marker = ['LEDGER#INDEXES', 'LEDGER#RECORDED_BY', 'HAZARD#HISTORY'].includes(
          pk?.S ?? '',
        );
        if (counter || marker) {
          await dynamo.send(new DeleteItemCommand({ TableName: tableName, Key: key }));
        } else if (pk?.S?.startsWith('HAZARD#') && sk?.S === 'STATE') {
          await dynamo.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: key,
              UpdateExpression: `REMOVE #state.#recordedBy, #state.#history, ${[3, 4, 5, 6, 7].flatMap((n) => [`gsi${n}pk`, `gsi${n}sk`]).join(', ')}`,
              ExpressionAttributeNames: {
                '#state': 'state',
                '#recordedBy': 'recordedBy',
                '#history': 'history',
              },
            }),
          );
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    // What an upgraded stack showed: nothing counted, the filter and my cases without them.
    expect(await statistics()).not.toEqual(expected.statistics);
    expect(await majorLedger()).not.toContain(recorded[0]);
    expect(await myCases()).toEqual([]);

    // The schedule's event, as EventBridge sends it: the missing backfills, then the sweep.
    const reconciler =
      [...harness.runtime.functions.values()].find((fn) =>
        fn.logicalId.startsWith('LifecycleReconcile'),
      )?.logicalId ?? 'LifecycleReconcile';
    const scheduled = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '123456789012',
      time: new Date().toISOString(),
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:123456789012:rule/ReconcileEveryFiveMinutes'],
      detail: {},
    };
    const first = (await harness.runtime.invoke(reconciler, scheduled)) as {
      backfills?: { finished: string[]; unfinished: string[] };
    };
    await harness.settled();
    expect(first.backfills).toEqual({
      finished: ['hazardHistory', 'statistics', 'ledgerIndexes', 'recordedBy'],
      unfinished: [],
    });
    expect(await statistics()).toEqual(expected.statistics);
    expect(await majorLedger()).toEqual(expected.ledger);
    expect(await myCases()).toEqual(expected.mine);
    for (const Key of backfillMarkers) {
      const { Item } = await dynamo.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: { S: Key.pk }, sk: { S: Key.sk } } }),
      );
      expect(Item, `${Key.pk} ${Key.sk}`).toBeDefined();
    }
    // Every later run finds the markers and goes straight to its sweep.
    const second = (await harness.runtime.invoke(reconciler, {
      ...scheduled,
      id: randomUUID(),
    })) as {
      backfills?: unknown;
      woken: number;
    };
    dynamo.destroy();
    expect(second.backfills).toBeUndefined();
    expect(await statistics()).toEqual(expected.statistics);
    expect(newProblems()).toEqual([]);
  });

  it('keeps a failed lifecycle in the dead-letter queue and starts it again from the record', async () => {
    const { hazardId } = await hazardLifecycleJourney(targetOf(harness));
    await harness.settled();
    newProblems();
    const [first] = harness.stepFunctions.executionsNamed(hazardId);
    first?.abort?.();
    await first?.done;
    await harness.settled();
    const deadLetters = [...harness.messaging.queues.values()].find((queue) =>
      queue.logicalId.startsWith('LifecycleDeadLetters'),
    );
    // The rule keeps the execution's name and input; nothing drains it until an operator says so.
    expect(deadLetters?.messages.map((message) => JSON.parse(message.body).name)).toEqual([
      `${hazardId}-1`,
    ]);
    const redrive = harness.runtime.find(
      [...harness.runtime.functions.values()].find((fn) =>
        fn.logicalId.startsWith('LifecycleRedrive'),
      )?.logicalId ?? 'LifecycleRedrive',
    );
    harness.messaging.enableMapping(redrive.name);
    await harness.settled();
    expect(deadLetters?.messages).toEqual([]);
    const second = harness.stepFunctions.executionsNamed(`${hazardId}-2`);
    expect(second.map((execution) => execution.status)).toEqual(['RUNNING']);
    expect(newProblems()).toEqual([]);
  });

  it('lets an administrator edit an escalation ladder', async () => {
    await administratorJourney(targetOf(harness));
    expect(newProblems()).toEqual([]);
  });

  it('lets an administrator add, re-role and disable a user in the user pool, with the pool-scoped grant', async () => {
    const administrator = await targetOf(harness).tokenFor('administrator', 'cq-gecheng');
    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${administrator}`,
    };
    const usersUrl = `${harness.apiUrl}/api/admin/jurisdictions/cq-gecheng/users`;
    const username = `harness.${randomUUID().slice(0, 8)}`;
    const created = await fetch(usersUrl, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        username,
        name: '林晓',
        roles: ['officer'],
        email: 'lx@example.gov.cn',
      }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    // A second user, so that the list has pages to follow (the emulator pages by one).
    const second = await fetch(usersUrl, {
      method: 'POST',
      headers,
      body: JSON.stringify({ username: `${username}.b`, name: '柳青', roles: ['reward_officer'] }),
    });
    expect(second.status, await second.clone().text()).toBe(201);
    const changed = await fetch(`${usersUrl}/${username}`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({
        name: '林晓',
        roles: ['officer', 'department_head'],
        enabled: false,
        expectedVersion: 1,
      }),
    });
    expect(changed.status, await changed.clone().text()).toBe(200);
    const listed = await fetch(usersUrl, { headers });
    expect(listed.status, await listed.clone().text()).toBe(200);
    const list = (await listed.json()) as {
      directory: string;
      users: { username: string; roles: string[]; enabled: boolean; version: number }[];
    };
    expect(list.directory).toBe('cognito');
    expect(list.users.find((user) => user.username === username)).toMatchObject({
      roles: ['officer', 'department_head'],
      enabled: false,
      version: 2,
    });
    expect(list.users.some((user) => user.username === `${username}.b`)).toBe(true);
    // What the pre-token-generation trigger will read at this user's next sign-in.
    const poolId = harness.template.ref(
      harness.template.ofType('AWS::Cognito::UserPool')[0]?.logicalId ?? '',
    );
    const stored = harness.cognito.user(poolId, username);
    expect(stored?.enabled).toBe(false);
    expect(stored?.attributes.get('custom:roles')).toBe('officer department_head');
    expect(stored?.attributes.get('custom:jurisdictions')).toBe('cq-gecheng');
    expect(newProblems()).toEqual([]);
  });

  it('answers the office routes held to their partitions (LeadingKeys): who am I, a jurisdiction edit, a calendar year edit', async () => {
    const target = targetOf(harness);
    const administrator = await target.tokenFor('administrator', 'cq-gecheng');
    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${administrator}`,
    };
    const me = await fetch(`${harness.apiUrl}/api/me`, { headers });
    expect(me.status, await me.clone().text()).toBe(200);

    const listed = (await (await fetch(`${harness.apiUrl}/api/jurisdictions`)).json()) as {
      jurisdictions: { code: string; zh: string; en: string; units?: string[]; version: number }[];
    };
    const gecheng = listed.jurisdictions.find((jurisdiction) => jurisdiction.code === 'cq-gecheng');
    if (!gecheng) throw new Error('cq-gecheng is not seeded');
    const edited = await fetch(`${harness.apiUrl}/api/jurisdictions/cq-gecheng`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({
        zh: gecheng.zh,
        en: gecheng.en,
        units: gecheng.units ?? [],
        expectedVersion: gecheng.version,
      }),
    });
    expect(edited.status, await edited.clone().text()).toBe(200);

    const year = await fetch(`${harness.apiUrl}/api/admin/calendar/2031`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ holidays: ['2031-01-01'], workdays: [], expectedVersion: 0 }),
    });
    expect(year.status, await year.clone().text()).toBe(200);
    expect(newProblems()).toEqual([]);
  });

  it('answers the other office routes, each with its own role held to its declared partitions and index partitions', async () => {
    // Every route the journeys above leave out, once: the tip desk from intake to a paid
    // claim's bank details, the register, the filtered ledger (each of its indexes), the
    // statistics, a hazard import and a hazard's photo forms. A partition a handler needs
    // but its route does not declare is refused (AccessDeniedException): the call fails.
    const person = (role: Role, userId = `harness-${role}`) =>
      harness.tokenFor({ userId, name: userId, roles: [role], jurisdictions: ['cq-gecheng'] });
    const [officer, rewardOfficer, secondRewardOfficer] = await Promise.all([
      person('officer'),
      person('reward_officer'),
      person('reward_officer', 'harness-reward_officer-2'),
    ]);
    const api = async (token: string | undefined, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${harness.apiUrl}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null, text };
    };
    const expectOk = (reply: { status: number; text: string }, status = 200) =>
      expect(reply.status, reply.text).toBe(status);

    // The tip desk: intake, the officer's steps, a question, the reward and its claim.
    const marker = `harness-desk-${randomUUID().slice(0, 8)}`;
    const created = await api(
      undefined,
      'POST',
      '/api/tips',
      validTip({
        description: `仓库安全出口被货物堵死 ${marker}`,
        wantsReward: true,
        contactPhone: '13612345679',
      }),
    );
    expectOk(created, 201);
    const inbox = await api(officer, 'GET', '/api/office/tips?jurisdiction=cq-gecheng');
    const tipId = (inbox.body.tips as { tipId: string; excerpt: string }[]).find((tip) =>
      tip.excerpt.includes(marker),
    )?.tipId;
    if (!tipId) throw new Error('The tip is not in the inbox');
    let revision = (await api(officer, 'GET', `/api/office/tips/${tipId}`)).body.revision as number;
    // Its possible duplicates, from the place indexes (gsi4, gsi5) under the route's role.
    const duplicates = await api(officer, 'GET', `/api/office/tips/${tipId}/possible-duplicates`);
    expectOk(duplicates);
    expect(Array.isArray(duplicates.body.possibleDuplicates)).toBe(true);
    const command = async (token: string, body: Record<string, unknown>, path = 'commands') => {
      const reply = await api(token, 'POST', `/api/office/tips/${tipId}/${path}`, {
        idempotencyKey: randomUUID(),
        expectedRevision: revision,
        ...body,
      });
      expectOk(reply);
      revision = reply.body.revision;
      return reply;
    };
    expectOk(
      await api(officer, 'POST', `/api/office/tips/${tipId}/questions`, {
        idempotencyKey: randomUUID(),
        text: '请问堵塞的是哪一个出口？',
      }),
      201,
    );
    revision = (await api(officer, 'GET', `/api/office/tips/${tipId}`)).body.revision;
    for (const step of stepsToAReward) {
      await command(officer, { command: step });
    }
    await command(rewardOfficer, {}, 'reward/compute');
    await command(secondRewardOfficer, {}, 'reward/approve');
    expectOk(await api(rewardOfficer, 'GET', '/api/office/reward-desk?jurisdiction=cq-gecheng'));
    expectOk(
      await api(undefined, 'POST', '/api/tips/reward-claims', {
        receipt: created.body.receipt,
        idempotencyKey: randomUUID(),
        method: 'bank_transfer',
        bank: {
          accountName: '张三',
          bankName: '中国工商银行重庆分行',
          accountNumber: '6222020200112233445',
        },
      }),
      201,
    );
    const opened = await api(
      rewardOfficer,
      'POST',
      `/api/office/tips/${tipId}/reward/payment-details`,
      { idempotencyKey: randomUUID() },
    );
    expectOk(opened);
    expect(JSON.stringify(opened.body)).toContain('6222020200112233445');
    const officeTip = await api(officer, 'POST', '/api/office/tips', {
      ...(routes.find((route) => route.operationId === 'recordOfficeTip')?.request
        ?.example as object),
      idempotencyKey: randomUUID(),
    });
    expectOk(officeTip, 201);

    // The register: registered (or there already), listed, read with its file, edited.
    const enterprise = routes.find((route) => route.operationId === 'registerEnterprise')?.request
      ?.example as { uscc: string };
    const registered = await api(officer, 'POST', '/api/office/enterprises', enterprise);
    expect([200, 201, 409], registered.text).toContain(registered.status);
    expectOk(await api(officer, 'GET', '/api/office/enterprises?jurisdiction=cq-gecheng&q=有限'));
    const record = `/api/office/enterprises/${enterprise.uscc}?jurisdiction=cq-gecheng`;
    expectOk(await api(officer, 'GET', record));
    expectOk(
      await api(officer, 'PATCH', record, {
        idempotencyKey: randomUUID(),
        changes: { principal: { name: '周某', mobile: '13600136000' } },
      }),
    );

    // The ledger under each of its indexes, the statistics, an import, photo forms.
    for (const filter of [
      'grade=major',
      'industry=fire',
      'sort=deadline',
      'industry=fire&sort=deadline',
      `enterprise=${enterprise.uscc}`,
    ]) {
      expectOk(await api(officer, 'GET', `/api/office/hazards?jurisdiction=cq-gecheng&${filter}`));
    }
    expectOk(await api(officer, 'GET', '/api/office/statistics?jurisdiction=cq-gecheng'));
    const imported = await api(
      officer,
      'POST',
      '/api/office/hazard-imports',
      routes.find((route) => route.operationId === 'importHazards')?.request?.example,
    );
    expect([200, 201], imported.text).toContain(imported.status);
    expectOk(
      await api(officer, 'POST', '/api/office/hazards/photo-uploads', {
        jurisdiction: 'cq-gecheng',
        count: 1,
        idempotencyKey: randomUUID(),
      }),
      201,
    );
    await harness.settled();
    expect(newProblems()).toEqual([]);
  });

  it('refuses an office role a partition it has no business with, naming the action and the resource', async () => {
    const fnOf = (prefix: string) => {
      const fn = [...harness.runtime.functions.values()].find((candidate) =>
        candidate.logicalId.startsWith(prefix),
      );
      if (!fn) throw new Error(`No function ${prefix}`);
      return fn;
    };
    const { tableName } = recordsTable();
    // The role's own credentials (the harness knows a caller by its role's logical id).
    const as = (prefix: string) =>
      new DynamoDBClient({
        endpoint: harness.endpoint.url,
        region: 'us-east-1',
        credentials: { accessKeyId: fnOf(prefix).roleLogicalId, secretAccessKey: 'harness' },
        maxAttempts: 1,
      });
    const refusal = async (call: Promise<unknown>) => {
      try {
        await call;
      } catch (error) {
        return error as Error;
      }
      throw new Error('The call was allowed');
    };
    const hazardKey = { pk: { S: 'HAZARD#abcdefghijklmnopqrstuvwxyz' }, sk: { S: 'STATE' } };
    const readHazard = await refusal(
      as('GetRewardDeskHandler').send(new GetItemCommand({ TableName: tableName, Key: hazardKey })),
    );
    expect(readHazard.name).toBe('AccessDeniedException');
    expect(readHazard.message).toMatch(/dynamodb:GetItem on resource: arn:aws:dynamodb:.*:table\//);
    const written = await refusal(
      as('ListTipsHandler').send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: { S: 'TIP#abcdefghijklmnopqrstuvwxyz' }, sk: { S: 'STATE' } },
          UpdateExpression: 'SET #x = :x',
          ExpressionAttributeNames: { '#x': 'x' },
          ExpressionAttributeValues: { ':x': { S: 'x' } },
        }),
      ),
    );
    expect(written.name).toBe('AccessDeniedException');
    expect(written.message).toContain('dynamodb:UpdateItem');
    // Its own index partition is answered; the hazards' is not.
    await as('GetRewardDeskHandler').send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'REWARDS#cq-gecheng' } },
      }),
    );
    const ledger = await refusal(
      as('GetRewardDeskHandler').send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'HAZARDS#cq-gecheng#reported' } },
        }),
      ),
    );
    expect(ledger.name).toBe('AccessDeniedException');
    expect(ledger.message).toMatch(/dynamodb:Query on resource: .*\/index\/gsi1/);
    // The harness saw these three refusals, each with its role, action and resource.
    expect(newProblems()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^denied to GetRewardDeskHandlerRole.*dynamodb:GetItem on resource: .*:table\/[^/]+ because/,
        ),
        expect.stringMatching(
          /^denied to ListTipsHandlerRole.*dynamodb:UpdateItem on resource: .*:table\/[^/]+ because/,
        ),
        expect.stringMatching(
          /^denied to GetRewardDeskHandlerRole.*dynamodb:Query on resource: .*:table\/.*\/index\/gsi1 because/,
        ),
      ]),
    );
  });

  it("delivers a jurisdiction's message to the contacts its administrator keeps, read by the delivery function's own role", async () => {
    const target = targetOf(harness);
    const administrator = await target.tokenFor('administrator', 'cq-gecheng');
    const path = `${harness.apiUrl}/api/admin/jurisdictions/cq-gecheng/contacts`;
    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${administrator}`,
    };
    const before = (await (await fetch(path, { headers })).json()) as { version: number };
    // Nobody else's number: the enterprise examples' people are texted in other journeys.
    const phone = '13512345678';
    const put = await fetch(path, {
      method: 'PUT',
      headers,
      body: JSON.stringify({
        contacts: { leader_in_charge: [{ kind: 'sms', phone: `+86 ${phone}` }] },
        expectedVersion: before.version,
      }),
    });
    expect(put.status, await put.clone().text()).toBe(200);
    // What the lifecycle publishes for a summons, as the topic's subscription queues it.
    const queue = [...harness.messaging.queues.values()].find((candidate) =>
      candidate.logicalId.startsWith('NotificationDeliveryQueue'),
    );
    if (!queue) throw new Error('No notification delivery queue');
    const key = `harness-contacts#1#summons#leader_in_charge`;
    harness.messaging.enqueue(
      queue,
      JSON.stringify({
        key,
        channel: 'sms',
        to: 'leader_in_charge@cq-gecheng',
        subject: { zh: '约谈：东门路 18 号仓库', en: 'Summons: warehouse' },
        body: { zh: '请按要求处理。', en: 'Please see to it.' },
      }),
    );
    await harness.settled();
    const texted = harness.messaging.sent.filter((message) => message.to === `+86${phone}`);
    expect(texted).toHaveLength(1);
    expect(texted[0]?.text).toBeTruthy();
    expect(queue.messages).toEqual([]);
    expect(queue.stuck).toEqual([]);
    // The function logs the key, never the phone.
    const deliver = [...harness.runtime.functions.values()].find((fn) =>
      fn.logicalId.startsWith('NotificationDeliveryDeliver'),
    );
    const logs = harness.logsOf(deliver?.logicalId ?? 'NotificationDeliveryDeliver').join('\n');
    expect(logs).toContain(key);
    expect(logs).not.toContain(phone);
    expect(newProblems()).toEqual([]);
  });

  it("texts a place's person in charge the enterprise link, signed by the Escalate function's own grant, and the link opens the hazard", async () => {
    // Nobody else's number: a shop's person in charge, on the hazard itself.
    const phone = '13722223333';
    const hazardId = await shopHazardUnderRectification(harness, phone);
    const texted = await textedTo(harness, phone);
    expect(texted).toHaveLength(1);
    const token = texted[0]?.text.match(/\/enterprise\/#([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/)?.[1];
    expect(token).toBeTruthy();
    const opened = await fetch(`${harness.apiUrl}/api/enterprise/hazard`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(opened.status).toBe(200);
    expect(((await opened.json()) as { hazardId: string }).hazardId).toBe(hazardId);
    expect(newProblems()).toEqual([]);
  });

  it("texts the claim reminder to a tip's sealed phone, opened by the delivery function's own grant", async () => {
    // The intake seals the phone with its kms:Encrypt; the delivery opens it with its
    // kms:Decrypt (in the tipster-contact context) and logs the opening on the tip.
    const phone = '13612345678';
    const marker = `harness-reminder-${randomUUID().slice(0, 8)}`;
    const created = await fetch(`${harness.apiUrl}/api/tips`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        validTip({
          description: `仓库安全出口被货物堵死 ${marker}`,
          wantsReward: true,
          contactPhone: phone,
        }),
      ),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const target = targetOf(harness);
    const officer = await target.tokenFor('officer', 'cq-gecheng');
    const inbox = await fetch(`${harness.apiUrl}/api/office/tips?jurisdiction=cq-gecheng`, {
      headers: { authorization: `Bearer ${officer}` },
    });
    const page = (await inbox.json()) as { tips: { tipId: string; excerpt: string }[] };
    const tipId = page.tips.find((tip) => tip.excerpt.includes(marker))?.tipId;
    if (!tipId) throw new Error('The tip is not in the inbox');
    const queue = [...harness.messaging.queues.values()].find((candidate) =>
      candidate.logicalId.startsWith('NotificationDeliveryQueue'),
    );
    if (!queue) throw new Error('No notification delivery queue');
    const key = 'claim-reminder#harness';
    harness.messaging.enqueue(
      queue,
      JSON.stringify({
        key,
        channel: 'sms',
        to: `sealed_tipster_phone@${tipId}`,
        subject: { zh: '奖励领取提醒', en: 'Reward claim reminder' },
        body: {
          zh: '您有一笔待领取的奖励，请凭回执在 2027-01-23 前查看。',
          en: 'You have a reward to collect: look it up with your receipt by 2027-01-23.',
        },
      }),
    );
    await harness.settled();
    const texted = harness.messaging.sent.filter((message) => message.to === `+86${phone}`);
    expect(texted).toHaveLength(1);
    expect(texted[0]?.text).toContain('您有一笔待领取的奖励');
    expect(texted[0]?.text).not.toContain(marker);
    expect(queue.messages).toEqual([]);
    expect(queue.stuck).toEqual([]);
    const tip = (await (
      await fetch(`${harness.apiUrl}/api/office/tips/${tipId}`, {
        headers: { authorization: `Bearer ${officer}` },
      })
    ).json()) as { contactOpenings?: unknown[] };
    expect(tip.contactOpenings).toEqual([
      { at: expect.any(String), by: 'notification-delivery', purpose: 'claim_reminder' },
    ]);
    const deliver = [...harness.runtime.functions.values()].find((fn) =>
      fn.logicalId.startsWith('NotificationDeliveryDeliver'),
    );
    const logs = harness.logsOf(deliver?.logicalId ?? 'NotificationDeliveryDeliver').join('\n');
    expect(logs).toContain(key);
    expect(logs).not.toContain(phone);
    expect(newProblems()).toEqual([]);
  });

  it("erases a tip's sealed phone past its retention period, from its scheduled function with its own role", async () => {
    // A tip refused long ago, its phone sealed, written as its log would have it (the
    // harness's clock is real time: a tip the API takes now is not due for 180 days).
    const { dynamo, tableName } = recordsTable();
    const events = new DynamoEventStore(createDocumentClient(dynamo), tableName);
    const tipId = `harness-retention-${randomUUID().slice(0, 8)}`;
    const ciphertext = `harness-sealed-${randomUUID()}`;
    const received = await events.append(
      tipStream(tipId),
      null,
      {
        type: 'tip_received',
        at: '2025-01-06T02:00:00.000Z',
        actor: tipsterActor,
        idempotencyKey: 'tip_received',
        data: {
          ...(validTip() as object),
          tipId,
          channel: 'web',
          contactSealed: ciphertext,
          photoIds: [],
          contentDigest: 'harness',
          acceptDeadline: '2025-01-09T16:00:00.000Z',
        },
      },
      tipProjection,
    );
    if (received.kind !== 'appended') throw new Error(received.kind);
    await events.append(
      tipStream(tipId),
      received.snapshot,
      {
        type: 'tip_refused',
        at: '2025-01-07T02:00:00.000Z',
        actor: { kind: 'person', id: 'harness-officer' },
        data: { reason: 'no_target_or_facts' },
      },
      tipProjection,
    );
    const sweep = [...harness.runtime.functions.values()].find((fn) =>
      fn.logicalId.startsWith('RetentionSweep'),
    );
    expect(sweep, 'the template has a retention sweep function').toBeDefined();
    const rule = harness.template
      .ofType('AWS::Events::Rule')
      .find((resource) => resource.logicalId.startsWith('RetentionSweepDaily'));
    expect(rule, 'a schedule invokes it').toBeDefined();
    newProblems();
    const result = (await harness.runtime.invoke(sweep?.logicalId ?? '', {})) as {
      erased: string[];
    };
    expect(result.erased).toContain(tipId);
    const log = await events.read(tipStream(tipId));
    expect(await verifyChain(log)).toMatchObject({ valid: true });
    expect(log.map((event) => event.type)).toEqual([
      'tip_received',
      'tip_refused',
      'contact_erased',
    ]);
    expect(JSON.stringify(log)).not.toContain(ciphertext);
    const state = await events.load(tipStream(tipId), tipProjection);
    expect(state?.state.contactSealed).toBeUndefined();
    expect(state?.state.sealedErased?.fields).toEqual(['contact']);
    // Once erased, the next run finds nothing of it.
    const again = (await harness.runtime.invoke(sweep?.logicalId ?? '', {})) as {
      erased: string[];
    };
    expect(again.erased).not.toContain(tipId);
    dynamo.destroy();
    expect(newProblems()).toEqual([]);
  });
});

describe('the orphan upload sweep, run with its own role', () => {
  it('deletes a day-old evidence photo no event names, and its thumbnail, keeping a named one', async () => {
    const officer = await targetOf(harness).tokenFor('officer', 'cq-gecheng');
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${officer}` };
    const post = (path: string, body: unknown) =>
      fetch(`${harness.apiUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const idempotencyKey = randomUUID();
    const forms = await post('/api/office/hazards/photo-uploads', {
      jurisdiction: 'cq-gecheng',
      count: 2,
      idempotencyKey,
    });
    expect(forms.status, await forms.clone().text()).toBe(201);
    const { photoUploads } = (await forms.json()) as {
      photoUploads: { photoKey: string; url: string; fields: Record<string, string> }[];
    };
    for (const upload of photoUploads) {
      const form = new FormData();
      for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
      if (!('Content-Type' in upload.fields)) form.append('Content-Type', 'image/jpeg');
      const photo = await sharp({
        create: { width: 64, height: 48, channels: 3, background: '#c33' },
      })
        .jpeg()
        .toBuffer();
      form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'photo');
      expect((await fetch(upload.url, { method: 'POST', body: form })).status).toBeLessThan(300);
    }
    await harness.settled();
    const [named = '', unsent = ''] = photoUploads.map((upload) => upload.photoKey);
    const { enterprise: _enterprise, standard: _standard, ...facts } = recordHazardExample();
    const recorded = await post('/api/office/hazards', {
      ...facts,
      idempotencyKey,
      grade: 'general',
      site: {
        name: '老王便利店',
        address: '格城区南街 9 号',
        kind: 'shop',
        personInCharge: '王某',
        phone: '13600136009',
      },
      photoKeys: [named],
    });
    expect(recorded.status, await recorded.clone().text()).toBe(201);
    await harness.settled();

    // Stored a day ago, as S3 will list them tomorrow (the harness's clock is real time).
    const bucket = harness.template.ref(
      harness.template
        .ofType('AWS::S3::Bucket')
        .find(({ logicalId }) => logicalId.startsWith('Evidence'))?.logicalId ?? '',
    );
    const photosAndThumbnails = [named, unsent].flatMap((key) => [key, thumbnailKeyOf(key)]);
    for (const key of photosAndThumbnails) {
      const stored = harness.s3.object(bucket, key);
      expect(stored, key).toBeDefined();
      if (stored) stored.lastModified = new Date(Date.now() - 25 * 3_600_000);
    }
    const sweep = [...harness.runtime.functions.values()].find((fn) =>
      fn.logicalId.startsWith('OrphanUploadSweep'),
    );
    expect(sweep, 'the template has an orphan upload sweep function').toBeDefined();
    const rule = harness.template
      .ofType('AWS::Events::Rule')
      .find((resource) => resource.logicalId.startsWith('OrphanUploadSweepDaily'));
    expect(rule, 'a schedule invokes it').toBeDefined();
    newProblems();
    const result = (await harness.runtime.invoke(sweep?.logicalId ?? '', {})) as {
      removed: string[];
    };
    expect(result.removed).toEqual(expect.arrayContaining([unsent, thumbnailKeyOf(unsent)]));
    expect(result.removed).not.toContain(named);
    const keys = harness.s3.objects(bucket);
    expect(keys).not.toContain(unsent);
    expect(keys).not.toContain(thumbnailKeyOf(unsent));
    expect(keys).toEqual(expect.arrayContaining([named, thumbnailKeyOf(named)]));
    // Nothing more the next time.
    const again = (await harness.runtime.invoke(sweep?.logicalId ?? '', {})) as {
      removed: string[];
    };
    expect(again.removed).toEqual([]);
    expect(newProblems()).toEqual([]);
  });
});

describe('the API answers only through CloudFront (its web ACL)', () => {
  /** The routes' answers straight at the API's endpoint, and through the "CloudFront" path. */
  const requests = async (): Promise<{ path: string; headers: Record<string, string> }[]> => {
    const officer = await targetOf(harness).tokenFor('officer', 'cq-gecheng');
    return [
      { path: '/api/health', headers: {} },
      {
        path: '/api/office/desk?jurisdiction=cq-gecheng',
        headers: { authorization: `Bearer ${officer}` },
      },
    ];
  };
  const header = 'x-origin-verify';
  const originSecretArn = () =>
    String(harness.template.resolve(harness.template.json.Outputs?.OriginVerifySecretArn?.Value));

  it('refuses a request to its own endpoint without the origin header, or with a wrong one, before any work', async () => {
    // CloudFront's /api/* origin declares the header, its value resolved from the secret.
    expect(Object.keys(harness.originHeaders)).toEqual([header]);
    expect(harness.originHeaders[header]).toBe(harness.secretsManager.valueOf(originSecretArn()));
    for (const { path, headers } of await requests()) {
      const through = await fetch(`${harness.apiUrl}${path}`, { headers });
      expect(through.status, `${path} through CloudFront: ${await through.clone().text()}`).toBe(
        200,
      );
      // A viewer's own header of that name is replaced by CloudFront's.
      const spoofed = await fetch(`${harness.apiUrl}${path}`, {
        headers: { ...headers, [header]: 'guessed' },
      });
      expect(spoofed.status, `${path} through CloudFront, viewer header`).toBe(200);

      const calls = harness.endpoint.authority.allowed.length;
      const direct = await fetch(`${harness.executeApiUrl}${path}`, { headers });
      expect(direct.status, `${path} straight to execute-api`).toBe(403);
      expect(await direct.json()).toEqual({
        error: {
          code: 'not_through_site',
          message: { zh: '请通过本站网址访问。', en: "Use the site's own address." },
        },
      });
      const wrong = await fetch(`${harness.executeApiUrl}${path}`, {
        headers: { ...headers, [header]: `${harness.originHeaders[header]}x` },
      });
      expect(wrong.status, `${path} straight to execute-api, wrong value`).toBe(403);
      // Refused before any handler work: no AWS call but the gate's reading of its secret.
      const made = harness.endpoint.authority.allowed.slice(calls);
      expect(
        made
          .map(({ request }) => request.action)
          .filter((action) => !action.startsWith('secretsmanager:')),
      ).toEqual([]);
    }
    expect(newProblems()).toEqual([]);
  });

  it('keeps answering CloudFront through a rotation: the previous value holds until the redeploy', async () => {
    const arn = originSecretArn();
    const first = harness.originHeaders[header] ?? '';
    const direct = (value: string) =>
      fetch(`${harness.executeApiUrl}/api/health`, { headers: { [header]: value } });
    // put-secret-value, then new instances (or five minutes) read both stages again.
    const second = harness.secretsManager.putValue(arn, `second-${randomUUID()}`);
    await harness.settled();
    await harness.runtime.stop();
    expect((await fetch(`${harness.apiUrl}/api/health`)).status).toBe(200);
    harness.deployDistribution();
    expect(harness.originHeaders[header]).toBe(harness.secretsManager.valueOf(arn, { id: second }));
    expect((await fetch(`${harness.apiUrl}/api/health`)).status).toBe(200);
    // A second rotation: the first value is neither current nor previous any more.
    harness.secretsManager.putValue(arn, `third-${randomUUID()}`);
    await harness.runtime.stop();
    expect((await direct(first)).status).toBe(403);
    expect((await direct(harness.secretsManager.valueOf(arn, { id: second }))).status).toBe(200);
    expect((await direct(harness.secretsManager.valueOf(arn))).status).toBe(200);
    harness.deployDistribution();
    expect((await fetch(`${harness.apiUrl}/api/health`)).status).toBe(200);
    expect(newProblems()).toEqual([]);
  });
});

describe('npm run smoke, pointed at the template', () => {
  it('runs every journey over HTTP with the tokens it is given', async () => {
    const tokenOf = (role: Role) =>
      harness.tokenFor({
        userId: `smoke-${role}`,
        name: role,
        roles: [role],
        jurisdictions: ['cq-gecheng'],
      });
    const lines: string[] = [];
    const { passed, failed, skipped } = await runSmoke({
      url: harness.apiUrl,
      tokens: { officer: await tokenOf('officer'), administrator: await tokenOf('administrator') },
      log: (line) => lines.push(line),
    });
    expect({ failed, skipped, lines }).toMatchObject({ failed: [], skipped: [] });
    expect(passed).toHaveLength(5);
  });

  it('says which journeys it skipped for want of a token', async () => {
    const { passed, skipped } = await runSmoke({ url: harness.apiUrl, tokens: {}, log: () => {} });
    expect(passed).toEqual(['health', 'tip with a photo']);
    expect(skipped).toHaveLength(3);
  });

  it("says to use the site's address when pointed at the API's own endpoint", async () => {
    const lines: string[] = [];
    const { passed, failed } = await runSmoke({
      url: harness.executeApiUrl,
      tokens: {},
      log: (line) => lines.push(line),
    });
    expect(passed).toEqual([]);
    expect(failed).toContain('health');
    expect(lines.join('\n')).toMatch(/本站网址.*SiteUrl.*pass the site's address/);
  });
});

describe('a template with one grant or one variable taken away', () => {
  /** A harness on a copy of the template, edited. */
  async function harnessWith(edit: (json: TemplateJson) => void) {
    const template = DeployedTemplate.fromAssembly(assembly);
    const json = structuredClone(template.json);
    edit(json);
    return TemplateHarness.start(new DeployedTemplate(json, assembly, template.place));
  }

  /** The policy documents of the role of the function whose logical id starts so. */
  const policiesOfFunction = (json: TemplateJson, prefix: string) => {
    const fn = Object.entries(json.Resources).find(
      ([id, resource]) => resource.Type === 'AWS::Lambda::Function' && id.startsWith(prefix),
    )?.[1];
    if (!fn?.Properties) throw new Error(`No function ${prefix}`);
    const role = (fn.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    return Object.values(json.Resources)
      .filter(
        (resource) =>
          resource.Type === 'AWS::IAM::Policy' &&
          JSON.stringify(resource.Properties?.Roles).includes(role),
      )
      .map(
        (resource) =>
          resource.Properties?.PolicyDocument as {
            Statement: { Action: unknown; Condition?: unknown }[];
          },
      );
  };

  const recordHazardFunction = (json: TemplateJson) => {
    const found = Object.entries(json.Resources).find(
      ([id, resource]) =>
        resource.Type === 'AWS::Lambda::Function' && id.startsWith('RecordHazardHandler'),
    );
    if (!found?.[1].Properties) throw new Error('No record-hazard function');
    return [found[0], { ...found[1], Properties: found[1].Properties }] as const;
  };

  it('fails, naming the action and resource, without the grant to start a lifecycle', async () => {
    const broken = await harnessWith((json) => {
      const [, fn] = recordHazardFunction(json);
      const role = (fn.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
      for (const resource of Object.values(json.Resources)) {
        if (resource.Type !== 'AWS::IAM::Policy') continue;
        if (!JSON.stringify(resource.Properties?.Roles).includes(role)) continue;
        const document = resource.Properties?.PolicyDocument as {
          Statement: { Action: unknown }[];
        };
        document.Statement = document.Statement.filter(
          (statement) => !JSON.stringify(statement.Action).includes('states:StartExecution'),
        );
      }
    });
    try {
      await expect(hazardLifecycleJourney(targetOf(broken))).rejects.toThrow();
      expect(broken.problems().join('\n')).toMatch(
        /not authorized to perform: states:StartExecution on resource: arn:aws:states:[^ ]+:stateMachine:Qingling-hazard-lifecycle/,
      );
    } finally {
      await broken.stop();
    }
  });

  it("fails, naming the index, without the reward desk's one pattern on its index of rewards (LeadingKeys)", async () => {
    // The route declares gsi2 `REWARDS#*`; the template without that pattern denies the
    // desk's Query of its rewards' partition, and the harness says which action and index.
    const broken = await harnessWith((json) => {
      let removed = 0;
      for (const document of policiesOfFunction(json, 'GetRewardDeskHandler')) {
        for (const statement of document.Statement) {
          const like = (
            statement.Condition as Record<string, Record<string, string[]>> | undefined
          )?.['ForAllValues:StringLike'];
          if (!like?.['dynamodb:LeadingKeys']?.includes('REWARDS#*')) continue;
          like['dynamodb:LeadingKeys'] = like['dynamodb:LeadingKeys'].filter(
            (pattern) => pattern !== 'REWARDS#*',
          );
          removed += 1;
        }
      }
      expect(removed).toBe(1);
    });
    try {
      const token = await broken.tokenFor({
        userId: 'harness-reward_officer',
        name: 'Harness reward officer',
        roles: ['reward_officer'],
        jurisdictions: ['cq-gecheng'],
      });
      const desk = await fetch(`${broken.apiUrl}/api/office/reward-desk?jurisdiction=cq-gecheng`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(desk.status).toBe(500);
      expect(broken.problems().join('\n')).toMatch(
        /GetRewardDeskHandlerRole.*not authorized to perform: dynamodb:Query on resource: arn:aws:dynamodb:[^ ]+:table\/[^ ]+\/index\/gsi2/,
      );
    } finally {
      await broken.stop();
    }
  });

  it("texts no link, naming the action and the secret, without Escalate's grant on the receipt secret", async () => {
    const broken = await harnessWith((json) => {
      for (const document of policiesOfFunction(json, 'LifecycleEscalate')) {
        document.Statement = document.Statement.filter(
          (statement) =>
            !JSON.stringify(statement.Action).includes('secretsmanager:GetSecretValue'),
        );
      }
    });
    try {
      const phone = '13733334444';
      await shopHazardUnderRectification(broken, phone);
      expect(await textedTo(broken, phone, 30)).toEqual([]);
      expect(broken.problems().join('\n')).toMatch(
        /not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:[^ ]+TipsterSecretsReceiptKey/,
      );
    } finally {
      await broken.stop();
    }
  });

  it('fails, naming the variable, without the state machine in the environment', async () => {
    const broken = await harnessWith((json) => {
      const [, fn] = recordHazardFunction(json);
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      delete variables.STATE_MACHINE_ARN;
    });
    try {
      await expect(hazardLifecycleJourney(targetOf(broken))).rejects.toThrow();
      expect(broken.problems().join('\n')).toContain('STATE_MACHINE_ARN');
    } finally {
      await broken.stop();
    }
  });
});
