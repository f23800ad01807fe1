import { randomBytes, randomUUID } from 'node:crypto';
import { type RouteDefinition, routes } from '@qingling/shared/api/routes.ts';
import { type Role, roles } from '@qingling/shared/auth/principal.ts';
import { createAccessLink, importLinkKey } from '@qingling/shared/enterprises/access-link.ts';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkKey } from '#functions/hazards/link-key.ts';
import {
  Api,
  createdInputs,
  createLink,
  createMarkedHazard,
  createMarkedTip,
  credentialInputs,
  type Fixtures,
  generatedInputs,
  type InputContext,
  identifiersOf,
  inputsOf,
  makeFixtures,
  plainInputs,
  type Reply,
  recordInputs,
  roleBodies,
  routesNamingEveryJurisdiction,
  sentNames,
  type Variant,
  variants,
} from '../support/authorization-fixtures.ts';
import { startTestCloud } from '../support/embedded-cloud.ts';

/**
 * The authorization matrix: every route of the table × every role (and anonymous) × the
 * caller's own jurisdiction's records, the other jurisdiction's, and each record input
 * swapped alone to the other's. Generated from the table at run time: a new route is in
 * the matrix the moment it is in the table, and an input the matrix cannot point at a
 * real record stops the run (see "the route table is covered").
 */
const own = 'cq-gecheng';
const other = 'fj-xiamen-xiangan';
const fixtureFile = 'tests/support/authorization-fixtures.ts';
const table: readonly RouteDefinition[] = routes;
const runTag = randomUUID().slice(0, 8).toUpperCase();
const markers: Record<string, string> = {
  [own]: `AUTHZ-OWN-${runTag}`,
  [other]: `AUTHZ-OTHER-${runTag}`,
};

let cloud: Awaited<ReturnType<typeof startTestCloud>>;
let api: Api;

beforeAll(async () => {
  cloud = await startTestCloud({ publicRequestsPerMinute: 1_000_000 });
  api = new Api(cloud.url);
  // The shared fixtures, made before the matrix by the people allowed to make them.
  await fixturesFor('shared');
});
afterAll(async () => {
  await cloud?.stop();
  await cloud?.removeData();
});

// ---------------------------------------------------------------------------------------
// The fixtures: made lazily, once per key; every identifier is remembered per jurisdiction.

const identifiers = new Map<string, Set<string>>([
  [own, new Set()],
  [other, new Set()],
]);
const hazardIds = new Set<string>();
const remember = (jurisdiction: string, ...values: string[]) => {
  for (const value of values) identifiers.get(jurisdiction)?.add(value);
};

const fixtureSets = new Map<string, Promise<{ own: Fixtures; other: Fixtures }>>();

function fixturesFor(key: string, prepare?: Variant['prepare']) {
  let sets = fixtureSets.get(key);
  if (!sets) {
    sets = (async () => {
      const [ownSet, otherSet] = await Promise.all(
        [own, other].map((jurisdiction) =>
          makeFixtures(api, jurisdiction, markers[jurisdiction] ?? jurisdiction),
        ),
      );
      if (!ownSet || !otherSet) throw new Error('fixtures missing');
      for (const set of [ownSet, otherSet]) {
        remember(set.jurisdiction, ...identifiersOf(set));
        hazardIds.add(set.hazardId);
        if (prepare) await prepare(set, api);
      }
      return { own: ownSet, other: otherSet };
    })();
    fixtureSets.set(key, sets);
  }
  return sets;
}

/** What in a reply identifies a record (or the code) of these jurisdictions. */
function leaksIn(reply: Reply, jurisdictions: readonly string[], route: RouteDefinition) {
  const found: string[] = [];
  for (const jurisdiction of jurisdictions) {
    for (const value of identifiers.get(jurisdiction) ?? []) {
      if (reply.text.includes(value)) found.push(`${jurisdiction}: ${value}`);
    }
    if (!routesNamingEveryJurisdiction[route.operationId] && reply.text.includes(jurisdiction)) {
      found.push(`${jurisdiction}: its code`);
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------
// The cases, from the table

type Caller = 'anonymous' | Role;
type Target = { kind: 'own' } | { kind: 'other' } | { kind: 'swapped'; input: string };

interface Case {
  label: string;
  route: RouteDefinition;
  variant: Variant | undefined;
  caller: Caller;
  target: Target;
  fixtureKey: string;
}

const callers: readonly Caller[] = ['anonymous', ...roles];
const mainVariant: Variant = { name: 'example' };

function bodyTemplate(route: RouteDefinition, variant: Variant, caller: Caller) {
  const example = route.request?.example;
  if (!route.request) return undefined;
  if (!example || typeof example !== 'object' || Array.isArray(example)) return example;
  const roleBody = caller === 'anonymous' ? undefined : roleBodies[route.operationId]?.[caller];
  return { ...(example as Record<string, unknown>), ...variant.body, ...roleBody };
}

function namesIn(value: unknown, into: Set<string>) {
  if (!value || typeof value !== 'object') return into;
  if (Array.isArray(value)) {
    for (const item of value) namesIn(item, into);
    return into;
  }
  for (const [name, child] of Object.entries(value)) {
    into.add(name);
    namesIn(child, into);
  }
  return into;
}

/** The record inputs one request sends. */
function recordNamesSent(route: RouteDefinition, variant: Variant, caller: Caller) {
  const names = new Set<string>();
  for (const match of route.path.matchAll(/\{(\w+)\}/g)) if (match[1]) names.add(match[1]);
  namesIn({ ...route.query?.example, ...variant.query }, names);
  namesIn(bodyTemplate(route, variant, caller), names);
  const created = createdInputs[route.operationId] ?? {};
  return [...names].filter((name) => name in recordInputs && !(name in created)).sort();
}

const targetName = (target: Target, names: readonly string[]) =>
  target.kind === 'swapped'
    ? `own records, ${target.input} from the other jurisdiction`
    : names.length
      ? `${target.kind} jurisdiction's records (${names.join(', ')})`
      : 'no record named';

const cases: Case[] = table.flatMap((route) =>
  [mainVariant, ...(variants[route.operationId] ?? [])].flatMap((variant) =>
    callers.flatMap((caller) => {
      const names = recordNamesSent(route, variant, caller);
      // The other's and the swapped ones first: a mutation that succeeds on the own
      // record must not change what the refusals are checked against.
      const targets: Target[] = names.length
        ? [
            { kind: 'other' },
            ...(names.length > 1 ? names.map((input): Target => ({ kind: 'swapped', input })) : []),
            { kind: 'own' },
          ]
        : [{ kind: 'own' }];
      return targets.map((target) => ({
        label: `${route.method} ${route.path} (${route.operationId}${variant === mainVariant ? '' : `, ${variant.name}`}) as ${caller}: ${targetName(target, names)}`,
        route,
        variant: variant === mainVariant ? undefined : variant,
        caller,
        target,
        fixtureKey:
          route.method === 'GET' && !variant.prepare
            ? 'shared'
            : `${route.operationId}/${variant.name}`,
      }));
    }),
  ),
);

// ---------------------------------------------------------------------------------------
// Building and sending one request

interface Built {
  path: string;
  body: unknown;
  /** The jurisdictions whose records a credential in the request opens. */
  opened: Set<string>;
}

async function build(
  route: RouteDefinition,
  variant: Variant,
  caller: Caller,
  setFor: (input: string) => Fixtures,
): Promise<Built> {
  const opened = new Set<string>();
  const pathValues: InputContext['path'] = {};
  const pathExample = route.pathParameters?.example ?? {};
  const path = route.path.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    const pick = recordInputs[name];
    const owner = setFor(name);
    const value = pick ? String(pick(owner)) : (pathExample[name] ?? '');
    pathValues[name] = { value, owner };
    return encodeURIComponent(value);
  });
  const template = bodyTemplate(route, variant, caller);
  const context: InputContext = { api, path: pathValues, example: template };

  const fill = async (value: unknown, key?: string): Promise<unknown> => {
    if (key !== undefined) {
      const create = createdInputs[route.operationId]?.[key];
      if (create) return create();
      const pick = recordInputs[key];
      if (pick) {
        if (credentialInputs.has(key)) opened.add(setFor(key).jurisdiction);
        return pick(setFor(key));
      }
      const make = generatedInputs[key];
      if (make) return make(context);
    }
    if (Array.isArray(value)) return Promise.all(value.map((item) => fill(item)));
    if (value && typeof value === 'object') {
      const filled: Record<string, unknown> = {};
      for (const [name, child] of Object.entries(value)) filled[name] = await fill(child, name);
      return filled;
    }
    return value;
  };

  const query = new URLSearchParams();
  const queryExample = { ...route.query?.example, ...variant.query };
  for (const [name, value] of Object.entries(queryExample)) {
    query.set(name, String(await fill(value, name)));
  }
  return {
    path: query.size ? `${path}?${query}` : path,
    body: template === undefined ? undefined : await fill(template),
    opened,
  };
}

const describeReply = (reply: Reply) => `${reply.status} ${reply.text.slice(0, 400)}`;

// ---------------------------------------------------------------------------------------

describe('the route table is covered', () => {
  it('knows every input of every route: a record input has a fixture, a plain one a reason', () => {
    const problems: string[] = [];
    for (const route of table) {
      const inputs = inputsOf(route);
      for (const [place, names] of Object.entries(inputs)) {
        for (const name of names) {
          if (name in recordInputs || name in generatedInputs || name in plainInputs) {
            if (
              place === 'path' &&
              !(name in recordInputs) &&
              route.pathParameters?.example[name] === undefined
            ) {
              problems.push(
                `${route.method} ${route.path} (${route.operationId}): path parameter \`${name}\` is plain but has no example value in the route's pathParameters.example.`,
              );
            }
            continue;
          }
          problems.push(
            `${route.method} ${route.path} (${route.operationId}): ${place} input \`${name}\` is unknown to the authorization matrix. Add ONE line to ${fixtureFile}:\n` +
              `    if it names a record or a jurisdiction, in recordInputs:  ${name}: (f) => f.<the fixture of that kind>,\n` +
              `      (if no fixture holds that kind of record yet, add it to Fixtures and makeFixtures first)\n` +
              `    if it names none, in plainInputs:  ${name}: '<why it names no record>',`,
          );
        }
      }
    }
    expect(problems, `\n${problems.join('\n')}\n`).toEqual([]);
  });

  it('sends every record input a route accepts, from its example or a variant', () => {
    const problems: string[] = [];
    for (const route of table) {
      const inputs = inputsOf(route);
      const sent = sentNames(route);
      for (const [place, names] of Object.entries(inputs)) {
        for (const name of names) {
          if (!(name in recordInputs) || sent.has(name)) continue;
          problems.push(
            `${route.method} ${route.path} (${route.operationId}): the ${place} input \`${name}\` names a record but no request of the matrix sends it. ` +
              `Add a variant in ${fixtureFile}, variants.${route.operationId}: ` +
              `{ name: '<what it does>', ${place === 'query' ? 'query' : 'body'}: { /* …the fields that reach it… */ ${name}: placeholder } }` +
              ' (with a prepare step if the command needs the record in some state).',
          );
        }
      }
    }
    expect(problems, `\n${problems.join('\n')}\n`).toEqual([]);
  });
});

describe('every route × every role × own / other jurisdiction', () => {
  it.each(cases.map((each) => [each.label, each] as const))('%s', async (_label, each) => {
    const { route, variant, caller, target, fixtureKey } = each;
    const sets = await fixturesFor(fixtureKey, variant?.prepare);
    const setFor = (input: string) =>
      target.kind === 'other' || (target.kind === 'swapped' && target.input === input)
        ? sets.other
        : sets.own;
    const request = await build(route, variant ?? mainVariant, caller, setFor);
    const reply = await api.call(route.method, request.path, {
      as: caller === 'anonymous' ? null : { role: caller, jurisdiction: own },
      body: request.body,
    });
    const what = `${route.method} ${request.path} as ${caller} answered ${describeReply(reply)}`;

    if (route.access.kind === 'signedIn') {
      const admitted = route.access.roles;
      if (caller === 'anonymous') {
        expect(reply.status, what).toBe(401);
      } else if (admitted !== 'any' && !admitted.includes(caller)) {
        expect(reply.status, what).toBe(403);
      } else if (target.kind === 'other') {
        expect([403, 404], what).toContain(reply.status);
      } else if (target.kind === 'swapped') {
        // A record of another jurisdiction named in the request: refused, whatever the code.
        const refused = reply.status >= 400 && reply.status < 500 && reply.status !== 401;
        expect(refused, `\`${target.input}\` names a record of ${other}, yet ${what}`).toBe(true);
      } else {
        expect(
          [401, 403, 404],
          `an authorization failure on the own record: ${what}\n(if the route admits ${caller} only for other commands, give it its own body in roleBodies.${route.operationId} in ${fixtureFile})`,
        ).not.toContain(reply.status);
        expect(reply.status, what).toBeLessThan(500);
      }
      // The caller belongs to the own jurisdiction: nothing of the other, ever.
      expect(leaksIn(reply, [other], route), what).toEqual([]);
    } else {
      // Public: scoped by what the request holds. A receipt or token opens its records;
      // nothing else of any jurisdiction may come back.
      if (target.kind === 'swapped') {
        expect(reply.status, what).toBeLessThan(500);
      } else {
        expect([401, 403, 404], what).not.toContain(reply.status);
        expect(reply.status, what).toBeLessThan(500);
      }
      const closed = [own, other].filter((jurisdiction) => !request.opened.has(jurisdiction));
      expect(leaksIn(reply, closed, route), what).toEqual([]);
    }
  });
});

describe('lists answer only the caller’s jurisdiction', () => {
  const lists = table.filter(
    // A public list (the exposure page) is every jurisdiction's by design.
    (route) =>
      route.method === 'GET' &&
      route.access.kind === 'signedIn' &&
      inputsOf(route).query.has('jurisdiction'),
  );
  const listCases = lists.flatMap((route) =>
    (route.access.kind === 'signedIn' && route.access.roles !== 'any'
      ? route.access.roles
      : roles
    ).map((role) => ({ label: `${route.operationId} as ${role}`, route, role })),
  );

  it('includes the hazard ledger and the tip inbox', () => {
    expect(lists.map((route) => route.operationId)).toEqual(
      expect.arrayContaining(['listHazards', 'listTips']),
    );
  });

  it.each(listCases)('$label: ?jurisdiction=<other> → 403', async ({ route, role }) => {
    const sets = await fixturesFor('shared');
    // A record in the path (an enterprise's file): the caller's own, asked of the other.
    const path = route.path.replace(/\{(\w+)\}/g, (_whole, name: string) =>
      encodeURIComponent(String(recordInputs[name]?.(sets.own) ?? '')),
    );
    const query = new URLSearchParams({ ...route.query?.example, jurisdiction: other });
    const reply = await api.call('GET', `${path}?${query}`, {
      as: { role, jurisdiction: own },
    });
    expect(reply.status, describeReply(reply)).toBe(403);
    expect(leaksIn(reply, [other], route)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------
// The enterprise link

const tokenRoutes = table.filter(
  (route) => route.access.kind === 'public' && inputsOf(route).body.has('token'),
);

async function tokenRequest(route: RouteDefinition, token: string, extra = {}) {
  const template = { ...(route.request?.example as Record<string, unknown>), ...extra };
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(template)) {
    const make = generatedInputs[name];
    body[name] =
      name === 'token' ? token : make ? await make({ api, path: {}, example: template }) : value;
  }
  return api.call(route.method, route.path, { body });
}

describe('the enterprise link opens its own hazard and nothing else', () => {
  let sets: { own: Fixtures; other: Fixtures };
  let hazardB: string;

  beforeAll(async () => {
    sets = await fixturesFor('enterprise-link');
    hazardB = await createMarkedHazard(api, own, markers[own] ?? own);
    hazardIds.add(hazardB);
    remember(own, hazardB);
  });

  it('covers the enterprise routes', () => {
    expect(tokenRoutes.map((route) => route.operationId)).toEqual(
      expect.arrayContaining(['viewEnterpriseHazard', 'submitEnterpriseUpdate']),
    );
  });

  it.each(tokenRoutes.map((route) => ({ label: route.operationId, route })))(
    '$label: a token for hazard A answers hazard A only, never B',
    async ({ route }) => {
      const hazardA = sets.own.hazardId;
      const reply = await tokenRequest(route, sets.own.token);
      expect(reply.status, describeReply(reply)).toBeLessThan(300);
      expect(reply.body.hazardId).toBe(hazardA);
      const others = [...hazardIds].filter((id) => id !== hazardA);
      expect(others.filter((id) => reply.text.includes(id))).toEqual([]);
      expect(leaksIn(reply, [other], route)).toEqual([]);
      // Naming B beside A's token: refused, or still A only.
      const naming = await tokenRequest(route, sets.own.token, { hazardId: hazardB });
      if (naming.status < 300) expect(naming.body.hazardId).toBe(hazardA);
      expect(naming.text).not.toContain(hazardB);
    },
  );

  const badTokens: Record<string, () => Promise<string>> = {
    garbled: async () => 'this-is-not-a-token.at-all',
    'truncated signature': async () => sets.own.token.slice(0, -4),
    'payload swapped to hazard B (forged)': async () => {
      const [payload = '', signature = ''] = sets.own.token.split('.');
      const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      const forged = Buffer.from(JSON.stringify({ ...decoded, h: hazardB })).toString('base64url');
      return `${forged}.${signature}`;
    },
    'signed with another key': async () =>
      createAccessLink(await importLinkKey(new Uint8Array(randomBytes(32))), {
        hazardId: sets.own.hazardId,
        expiresAt: new Date(Date.now() + 86_400_000),
      }),
    expired: async () =>
      createAccessLink(await linkKey(), {
        hazardId: sets.own.hazardId,
        expiresAt: new Date(Date.now() - 60_000),
      }),
    'for a hazard that does not exist': async () =>
      createAccessLink(await linkKey(), {
        hazardId: 'a'.repeat(26),
        expiresAt: new Date(Date.now() + 86_400_000),
      }),
  };

  it.each(
    tokenRoutes.flatMap((route) =>
      Object.keys(badTokens).map((kind) => ({
        label: `${route.operationId}: ${kind}`,
        route,
        kind,
      })),
    ),
  )('$label token → 403 link_invalid', async ({ route, kind }) => {
    const token = await badTokens[kind]?.();
    if (!token) throw new Error(kind);
    const reply = await tokenRequest(route, token);
    expect(reply.status, describeReply(reply)).toBe(403);
    expect(reply.body?.error?.code).toBe('link_invalid');
    expect(
      [sets.own.hazardId, hazardB, sets.own.marker].filter((value) => reply.text.includes(value)),
    ).toEqual([]);
  });

  it('shows nothing of the tip behind a hazard from a tip: no text, no photo, no id', async () => {
    const marker = markers[own] ?? own;
    const tip = await createMarkedTip(api, own, marker, 1);
    remember(own, tip.receipt, tip.tipId);
    const photo = await sharp({
      create: { width: 64, height: 48, channels: 3, background: '#3a6' },
    })
      .jpeg()
      .toBuffer();
    const upload = tip.photoUploads[0];
    if (!upload) throw new Error('no upload form');
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'photo.jpg');
    expect((await fetch(upload.url, { method: 'POST', body: form })).status).toBe(201);
    const officer = { role: 'officer', jurisdiction: own } as const;
    const seen = await api.must('GET', `/api/office/tips/${tip.tipId}`, { as: officer });
    const photoKeys: string[] = seen.body.photoKeys;
    expect(photoKeys.length).toBe(1);

    const hazardId = await createMarkedHazard(api, own, marker, {
      source: 'tip',
      tipId: tip.tipId,
      description: '经现场核查，仓库安全出口被货物堵死。',
      place: '东门路 18 号仓库',
    });
    hazardIds.add(hazardId);
    const token = await createLink(api, own, hazardId);
    const tipStrings = [tip.description, tip.tipId, tip.receipt, ...photoKeys, 'tips/', marker];
    for (const route of tokenRoutes) {
      const reply = await tokenRequest(route, token);
      expect(reply.status, describeReply(reply)).toBeLessThan(300);
      expect(reply.body.hazardId).toBe(hazardId);
      expect(
        tipStrings.filter((value) => reply.text.includes(value)),
        route.operationId,
      ).toEqual([]);
      for (const field of ['tipId', 'photoKeys', 'photos', 'source', 'channel', 'receipt']) {
        expect(reply.body, `${route.operationId} answers ${field}`).not.toHaveProperty(field);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------
// Receipts

const receiptRoutes = table.filter(
  (route) => route.access.kind === 'public' && inputsOf(route).body.has('receipt'),
);

describe('a receipt opens its own tip and nothing else', () => {
  it.each(receiptRoutes.map((route) => ({ label: route.operationId, route })))(
    '$label: the receipt of tip 1 answers nothing of tip 2 or of the other jurisdiction; a garbled one nothing at all',
    async ({ route }) => {
      const sets = await fixturesFor(`receipts/${route.operationId}`);
      const body = async (receipt: string) => {
        const template = route.request?.example as Record<string, unknown>;
        const filled: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(template)) {
          const make = generatedInputs[name];
          filled[name] =
            name === 'receipt'
              ? receipt
              : make
                ? await make({ api, path: {}, example: template })
                : value;
        }
        return filled;
      };
      const reply = await api.call(route.method, route.path, {
        body: await body(sets.own.receipt),
      });
      // A claim needs an approved reward: the fixture's tip has none, and the refusal of
      // its own tip's rule (422, not 404) shows the receipt opened it.
      const answersByState = route.operationId === 'claimReward' && reply.status === 422;
      if (!answersByState) expect(reply.status, describeReply(reply)).toBeLessThan(300);
      for (const value of [sets.own.tip2Id, sets.own.tip2Text, ...identifiersOf(sets.other)]) {
        expect(reply.text).not.toContain(value);
      }
      const garbled = await api.call(route.method, route.path, { body: await body('12345') });
      expect(garbled.status, describeReply(garbled)).toBeGreaterThanOrEqual(400);
      expect(garbled.status).toBeLessThan(500);
      expect(garbled.text).not.toContain(sets.own.marker);
    },
  );
});
