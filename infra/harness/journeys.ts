import { randomUUID } from 'node:crypto';
import { routes } from '@qingling/shared/api/routes.ts';
import type { Role } from '@qingling/shared/auth/principal.ts';
import { receiptFromDigits } from '@qingling/shared/tips/receipt.ts';

/**
 * The journeys a deployment must carry, over HTTP only, so that the same code checks the
 * template run locally (the harness) and a real deployment (npm run smoke). Each journey
 * returns what it saw; it throws, with the step and the reply, at the first thing wrong.
 */

export interface JourneyTarget {
  /**
   * Where /api/* is served (the routes' paths are appended): the site's address when
   * CloudFront fronts the API, whose own endpoint then refuses every request.
   */
  apiUrl: string;
  /** A bearer token for a person with this role in this jurisdiction. */
  tokenFor(role: Role, jurisdiction: string): Promise<string>;
  /** Waits a little (a real deployment) or lets deliveries finish (the harness). */
  pause(milliseconds: number): Promise<void>;
  /** The jurisdiction journeys report to and record in (default: the demo's cq-gecheng). */
  jurisdiction?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: journeys check replies' shapes at run time
type Reply = { status: number; body: any };

export class JourneyFailure extends Error {
  readonly reply: Reply | undefined;
  constructor(step: string, reply?: Reply) {
    super(
      `${step}${reply ? ` — answered ${reply.status}: ${JSON.stringify(reply.body).slice(0, 400)}` : ''}`,
    );
    this.name = 'JourneyFailure';
    this.reply = reply;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: documented examples are checked by the API
type Example = Record<string, any>;

const example = (operationId: string): Example => {
  const route = (routes as readonly { operationId: string; request?: { example: unknown } }[]).find(
    (candidate) => candidate.operationId === operationId,
  );
  if (!route?.request) throw new Error(`No documented request for ${operationId}`);
  return structuredClone(route.request.example) as Example;
};

async function call(
  target: JourneyTarget,
  method: string,
  path: string,
  options: { body?: unknown; token?: string } = {},
): Promise<Reply> {
  const response = await fetch(`${target.apiUrl}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {}
  return { status: response.status, body };
}

function expectStatus(step: string, reply: Reply, status: number): Reply {
  if (reply.status !== status) throw new JourneyFailure(step, reply);
  return reply;
}

/** Polls until `check` gives a value, for what happens after a reply (workflows, queues). */
async function eventually<T>(
  target: JourneyTarget,
  step: string,
  check: () => Promise<T | undefined>,
  attempts = 60,
): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const value = await check();
    if (value !== undefined) return value;
    await target.pause(250);
  }
  throw new JourneyFailure(`${step}: not seen after ${attempts} tries`);
}

export const demoJurisdiction = 'cq-gecheng';
const jurisdictionOf = (target: JourneyTarget) => target.jurisdiction ?? demoJurisdiction;

/** Health: ok, with a jurisdiction to report to. */
export async function healthJourney(target: JourneyTarget) {
  const health = expectStatus('GET /api/health', await call(target, 'GET', '/api/health'), 200);
  if (health.body?.ok !== true) throw new JourneyFailure('health is not ok', health);
  const jurisdictions = expectStatus(
    'GET /api/jurisdictions',
    await call(target, 'GET', '/api/jurisdictions'),
    200,
  );
  if (!jurisdictions.body?.jurisdictions?.length) {
    throw new JourneyFailure('no jurisdiction to report to', jurisdictions);
  }
  return { health: health.body, jurisdictions: jurisdictions.body.jurisdictions.length };
}

/** A tipster reports anonymously, gets a receipt, and follows the tip up with it. */
export async function anonymousTipJourney(target: JourneyTarget) {
  const tip: Example = {
    ...example('createTip'),
    idempotencyKey: randomUUID(),
    photoCount: 0,
    jurisdiction: jurisdictionOf(target),
  };
  const created = expectStatus(
    'POST /api/tips',
    await call(target, 'POST', '/api/tips', { body: tip }),
    201,
  );
  const receipt = created.body?.receipt as string;
  if (!/^\d{18}$/.test(receipt ?? '')) throw new JourneyFailure('no receipt', created);
  const retried = expectStatus(
    'POST /api/tips again',
    await call(target, 'POST', '/api/tips', { body: tip }),
    200,
  );
  if (retried.body.receipt !== receipt)
    throw new JourneyFailure('a retry made another tip', retried);
  const followed = expectStatus(
    'POST /api/tips/lookup',
    await call(target, 'POST', '/api/tips/lookup', { body: { receipt } }),
    200,
  );
  if (followed.body?.status !== 'received')
    throw new JourneyFailure('the tip is not received', followed);
  expectStatus(
    'POST /api/tips/messages',
    await call(target, 'POST', '/api/tips/messages', {
      body: { ...example('postTipsterMessage'), receipt, idempotencyKey: randomUUID() },
    }),
    201,
  );
  const more = expectStatus(
    'POST /api/tips/photo-uploads',
    await call(target, 'POST', '/api/tips/photo-uploads', { body: { receipt, count: 1 } }),
    201,
  );
  if (more.body?.photoUploads?.length !== 1)
    throw new JourneyFailure('no form for one more photo', more);
  // A well-formed receipt of no tip: "not found", and counted against guessing.
  const unknown = receiptFromDigits(String(Date.now()).padStart(16, '7').slice(-16));
  expectStatus(
    'POST /api/tips/lookup (no such tip)',
    await call(target, 'POST', '/api/tips/lookup', { body: { receipt: unknown } }),
    404,
  );
  expectStatus('GET /api/openapi.json', await call(target, 'GET', '/api/openapi.json'), 200);
  const published = expectStatus(
    'GET /api/public/chain-heads',
    await call(target, 'GET', '/api/public/chain-heads'),
    200,
  );
  // Once a day is published, its root is served on its own (the public page checks against it).
  if (published.body?.days?.length) {
    expectStatus(
      'GET /api/public/chain-heads/latest',
      await call(target, 'GET', '/api/public/chain-heads/latest'),
      200,
    );
  }
  const officer = await target.tokenFor('officer', String(tip.jurisdiction));
  const inbox = await eventually(target, 'the tip in the officer inbox', async () => {
    const reply = expectStatus(
      'GET /api/office/tips',
      await call(target, 'GET', `/api/office/tips?jurisdiction=${tip.jurisdiction}`, {
        token: officer,
      }),
      200,
    );
    const items = (reply.body?.tips ?? reply.body?.items ?? []) as { description?: string }[];
    return items.length ? items : undefined;
  });
  return { receipt, inbox: inbox.length };
}

/**
 * An officer takes a tip to its finding: accepts it, investigates, records the hazard it
 * found (from the tip) and records the finding naming that hazard. The tip commands run in
 * the function that checks the named hazard's jurisdiction from its first event.
 */
export async function tipFindingJourney(target: JourneyTarget) {
  const jurisdiction = jurisdictionOf(target);
  const marker = randomUUID().slice(0, 8);
  const tip: Example = {
    ...example('createTip'),
    idempotencyKey: randomUUID(),
    photoCount: 0,
    jurisdiction,
    description: `${example('createTip').description} ${marker}`,
  };
  expectStatus('POST /api/tips', await call(target, 'POST', '/api/tips', { body: tip }), 201);
  const officer = await target.tokenFor('officer', jurisdiction);
  const tipId = await eventually(target, 'the tip in the officer inbox', async () => {
    const reply = expectStatus(
      'GET /api/office/tips',
      await call(target, 'GET', `/api/office/tips?jurisdiction=${jurisdiction}&status=received`, {
        token: officer,
      }),
      200,
    );
    const items = (reply.body?.tips ?? []) as { tipId: string; excerpt?: string }[];
    return items.find((item) => item.excerpt?.includes(marker))?.tipId;
  });
  const command = async (body: Example) => {
    const read = expectStatus(
      `GET /api/office/tips/${tipId}`,
      await call(target, 'GET', `/api/office/tips/${tipId}`, { token: officer }),
      200,
    );
    return expectStatus(
      `POST /api/office/tips/${tipId}/commands ${body.type}`,
      await call(target, 'POST', `/api/office/tips/${tipId}/commands`, {
        token: officer,
        body: { idempotencyKey: randomUUID(), expectedRevision: read.body.revision, command: body },
      }),
      200,
    );
  };
  await command({ type: 'accept' });
  await command({ type: 'start_investigation' });
  const recorded = expectStatus(
    'POST /api/office/hazards (from the tip)',
    await call(target, 'POST', '/api/office/hazards', {
      token: officer,
      body: {
        ...example('recordHazard'),
        idempotencyKey: randomUUID(),
        jurisdiction,
        grade: 'general',
        source: 'tip',
        tipId,
      },
    }),
    201,
  );
  const hazardId = recorded.body?.hazard?.hazardId as string;
  await command({
    type: 'record_finding',
    finding: 'substantiated',
    note: '现场核实属实',
    hazardId,
  });
  const found = expectStatus(
    `GET /api/office/tips/${tipId}`,
    await call(target, 'GET', `/api/office/tips/${tipId}`, { token: officer }),
    200,
  );
  if (found.body?.status !== 'substantiated' || found.body?.hazardId !== hazardId)
    throw new JourneyFailure('the finding is not on the tip', found);
  return { tipId, hazardId };
}

/**
 * An officer records a major hazard: its lifecycle starts, plans, tells the enterprise at
 * once (recorded on the log, delivered through the notification queue) and waits; the
 * enterprise opens its link; the officer orders it fixed, which wakes the waiting lifecycle.
 */
export async function hazardLifecycleJourney(target: JourneyTarget) {
  const jurisdiction = jurisdictionOf(target);
  const officer = await target.tokenFor('officer', jurisdiction);
  // The enterprise on the register (already there on a rerun): its people are told.
  const enterprise = { ...example('registerEnterprise'), jurisdiction };
  const registered = await call(target, 'POST', '/api/office/enterprises', {
    body: enterprise,
    token: officer,
  });
  if (registered.status !== 201 && registered.status !== 409) {
    throw new JourneyFailure('POST /api/office/enterprises', registered);
  }
  const record = {
    ...example('recordHazard'),
    idempotencyKey: randomUUID(),
    jurisdiction,
  };
  const recorded = expectStatus(
    'POST /api/office/hazards',
    await call(target, 'POST', '/api/office/hazards', { body: record, token: officer }),
    201,
  );
  const hazardId = recorded.body?.hazard?.hazardId as string;
  const read = () => call(target, 'GET', `/api/office/hazards/${hazardId}`, { token: officer });
  const escalated = await eventually(target, 'the major-hazard notice on the log', async () => {
    const reply = expectStatus(`GET /api/office/hazards/${hazardId}`, await read(), 200);
    const types = ((reply.body?.timeline ?? []) as { type: string }[]).map((event) => event.type);
    return types.includes('enterprise_told') ? reply.body : undefined;
  });
  const link = expectStatus(
    'POST enterprise-link',
    await call(target, 'POST', `/api/office/hazards/${hazardId}/enterprise-link`, {
      body: { validDays: 30 },
      token: officer,
    }),
    201,
  );
  const viewed = expectStatus(
    'POST /api/enterprise/hazard',
    await call(target, 'POST', '/api/enterprise/hazard', { body: { token: link.body.token } }),
    200,
  );
  if (viewed.body?.hazardId !== hazardId)
    throw new JourneyFailure('the link shows another hazard', viewed);
  const submitted = expectStatus(
    'POST /api/enterprise/hazard/updates',
    await call(target, 'POST', '/api/enterprise/hazard/updates', {
      body: {
        ...example('submitEnterpriseUpdate'),
        token: link.body.token,
        idempotencyKey: randomUUID(),
      },
    }),
    201,
  );
  if (!submitted.body?.submittedPlan)
    throw new JourneyFailure('the plan is not on the hazard', submitted);
  // Its log exports with the proof of its head in the latest published root (null before).
  const exported = expectStatus(
    `GET /api/office/hazards/${hazardId}/log`,
    await call(target, 'GET', `/api/office/hazards/${hazardId}/log`, { token: officer }),
    200,
  );
  if (!exported.body?.chain?.valid || !('inclusion' in exported.body))
    throw new JourneyFailure('the exported log does not verify or has no proof field', exported);
  return { hazardId, hazard: escalated, enterprise };
}

/**
 * A tipster reports with a photo: the text first, then the photo straight to storage with
 * the signed form; the photo processor strips it and puts it on the tip, where the officer
 * sees it.
 */
export async function tipWithPhotoJourney(target: JourneyTarget, photo: Uint8Array) {
  const tip: Example = {
    ...example('createTip'),
    idempotencyKey: randomUUID(),
    photoCount: 1,
    jurisdiction: jurisdictionOf(target),
  };
  const created = expectStatus(
    'POST /api/tips',
    await call(target, 'POST', '/api/tips', { body: tip }),
    201,
  );
  const [upload] = created.body.photoUploads as { url: string; fields: Record<string, string> }[];
  if (!upload) throw new JourneyFailure('no upload form for the photo', created);
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  // As the report page does: the type as a field when the form does not fix it.
  if (!('Content-Type' in upload.fields)) form.append('Content-Type', 'image/jpeg');
  form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'photo.jpg');
  const uploaded = await fetch(upload.url, { method: 'POST', body: form });
  if (uploaded.status >= 300) {
    throw new JourneyFailure('POST photo upload', {
      status: uploaded.status,
      body: await uploaded.text(),
    });
  }
  const photos = await eventually(target, 'the photo on the tip', async () => {
    const reply = await call(target, 'POST', '/api/tips/lookup', {
      body: { receipt: created.body.receipt },
    });
    return reply.body?.photos >= 1 ? reply.body.photos : undefined;
  });
  return { receipt: created.body.receipt as string, photos: photos as number };
}

/** An administrator edits a jurisdiction's escalation ladder; the edit is read back. */
export async function administratorJourney(target: JourneyTarget) {
  const jurisdiction = jurisdictionOf(target);
  const administrator = await target.tokenFor('administrator', jurisdiction);
  const before = expectStatus(
    'GET /api/admin/policies',
    await call(target, 'GET', '/api/admin/policies', { token: administrator }),
    200,
  );
  // The version this jurisdiction's ladder is at (0: never edited), so a rerun edits again.
  const stored = (before.body?.escalation ?? []) as { jurisdiction: string; version: number }[];
  const expectedVersion =
    stored.find((policy) => policy.jurisdiction === jurisdiction)?.version ?? 0;
  const ladder = { ...example('updateEscalationPolicy'), expectedVersion };
  const updated = await call(
    target,
    'PUT',
    `/api/admin/jurisdictions/${jurisdiction}/escalation-policy`,
    {
      body: ladder,
      token: administrator,
    },
  );
  expectStatus('PUT escalation-policy', updated, 200);
  return { policies: before.body, updated: updated.body };
}
