import { randomUUID } from 'node:crypto';
import type { RouteDefinition } from '@qingling/shared/api/routes.ts';
import type { Role } from '@qingling/shared/auth/principal.ts';
import { enterpriseRoutes } from '@qingling/shared/enterprises/routes.ts';
import { usccAlphabet, usccCheckCharacter } from '@qingling/shared/enterprises/uscc.ts';
import { hazardRoutes } from '@qingling/shared/hazards/routes.ts';
import { publicTipRoutes } from '@qingling/shared/tips/public-routes.ts';
import * as z from 'zod';
import { signIn } from './embedded-cloud.ts';

/**
 * What the authorization matrix (tests/integration/authorization.test.ts) knows about the
 * route table: which inputs name a record or a jurisdiction, and the real records, made
 * through the API in each jurisdiction, that those inputs are pointed at.
 *
 * A new route usually needs nothing here. A new input NAME needs one line: in
 * `recordInputs` when it names a record or a jurisdiction, in `plainInputs` when it does
 * not. The matrix refuses to run past an input it does not know.
 */

/** The records the matrix points inputs at, one set per jurisdiction, made by makeFixtures. */
export interface Fixtures {
  jurisdiction: string;
  /** Every free text of these records starts with it: find it in a reply, and it leaked. */
  marker: string;
  /** A web tip (one photo slot open), its receipt and its description. */
  receipt: string;
  tipId: string;
  tipText: string;
  /** A second tip of the same jurisdiction (to merge into, to link to). */
  tip2Id: string;
  tip2Text: string;
  /** A hazard recorded by the jurisdiction's officer, and an enterprise link to it. */
  hazardId: string;
  token: string;
  /** An enterprise registered in the jurisdiction (its credit code), owning the hazard. */
  uscc: string;
}

/**
 * Inputs (path parameter, query parameter or body field, at any depth, by name) that name
 * a record or a jurisdiction: the value of the own or the other jurisdiction's fixtures.
 * If no fixture holds the kind of record a new input names, add it to Fixtures and
 * makeFixtures first.
 */
export const recordInputs: Record<string, (f: Fixtures) => unknown> = {
  code: (f) => f.jurisdiction,
  jurisdiction: (f) => f.jurisdiction,
  tipId: (f) => f.tipId,
  intoTipId: (f) => f.tip2Id,
  // Joint tipsters: tips of the same jurisdiction, each merged into the one commanded.
  tipIds: (f) => [f.tip2Id],
  hazardId: (f) => f.hazardId,
  receipt: (f) => f.receipt,
  token: (f) => f.token,
  photoKeys: (f) => [`evidence/${f.hazardId}/p1`],
  uscc: (f) => f.uscc,
  // An office user of the jurisdiction (a demo user no other test signs in as to work).
  username: (f) => `${f.jurisdiction}.second_officer`,
};

/**
 * Per route, inputs that name the record the request creates rather than one it points at,
 * with a fresh value for each request: a credit code registered on the caller's own
 * register is that register's record, whichever other registers hold the same code (each
 * jurisdiction keeps its own). The code of the other jurisdiction's fixture is no record
 * of it here, and sending it would only put it on the own register.
 */
export const createdInputs: Record<string, Record<string, () => unknown>> = {
  registerEnterprise: { uscc: () => freshUscc() },
  // A user added is the record the request creates: a fresh username each time.
  createUser: { username: () => `matrix.${randomUUID().slice(0, 8)}` },
};

/**
 * Record inputs that are a credential rather than a reference: on a public route, the
 * reply may show the records the credential opens, and nothing of any other.
 */
export const credentialInputs: ReadonlySet<string> = new Set(['receipt', 'token']);

/** What a request needs to make a value that must be fresh or current. */
export interface InputContext {
  api: Api;
  /** The record each path parameter names in this request, with the set it belongs to. */
  path: Record<string, { value: string; owner: Fixtures }>;
  example: unknown;
}

/** Inputs whose value is made for each request (the example's would be stale or replayed). */
export const generatedInputs: Record<string, (context: InputContext) => unknown> = {
  idempotencyKey: () => randomUUID(),
  // The revision the caller saw: the record's current one, so a refusal is never a stale 409.
  expectedRevision: (context) => currentRevision(context),
};

/** Inputs that name no record or jurisdiction, with why: the example's value is sent. */
export const plainInputs: Record<string, string> = {
  // a place without a credit code (issue 14): kept on the hazard, on no register
  site: 'a place kept on the hazard itself, on no register',
  personInCharge: 'a name',
  q: 'a search within the jurisdiction the query names',
  card: 'a card of the desk (desk.ts deskCardKeys), within the jurisdiction the query names',
  // jurisdictions
  zh: 'a name',
  en: 'a name',
  units: 'names of units',
  expectedVersion: 'the version the editor saw',
  // users and roles (`username` names a user, above; `name` is classified below)
  roles: 'roles given to the user the path names',
  email: "the new user's own address",
  enabled: 'a flag',
  // tips
  unit: 'a unit name typed by the tipster',
  community: "a filter by one of the caller's jurisdiction's units (村/社区): a name, not a record",
  industry: 'a code of the public taxonomy',
  enterprise: 'what the tipster or officer calls the enterprise (free text or credit code)',
  address: 'free text, or an e-mail address',
  description: 'free text',
  seenOn: 'a date',
  foundOn: 'a date',
  isEmployee: 'a flag',
  wantsReward: 'a flag',
  contactPhone: "the tipster's own number",
  location: 'a position',
  latitude: 'a number',
  longitude: 'a number',
  accuracyMeters: 'a number',
  datum: 'a constant',
  photoCount: 'a number',
  count: 'a number',
  text: 'free text',
  channel: 'how the tip came',
  inReplyTo: 'a message of the tip the receipt opens (checked against that tip)',
  status: 'a status filter',
  format: 'a file format of an export',
  from: 'a month of a statistics period (counts of the jurisdiction checked)',
  to: 'a month of a statistics period (counts of the jurisdiction checked)',
  cutoff: 'a date splitting backlog from inflow in statistics',
  week: 'a day of the week a weekly report counts (counts of the jurisdiction checked)',
  exportId:
    "an export job's id, looked up only in the partition of the query's jurisdiction (checked first)",
  retention: 'a retention setting of the escalation policy (its parts are plain)',
  sealedDataDays: 'a number of days',
  overdue: 'a flag narrowing a ledger status to hazards past their deadline',
  foundFrom: 'a date of a ledger filter (hazards of the jurisdiction checked)',
  foundTo: 'a date of a ledger filter (hazards of the jurisdiction checked)',
  sort: 'the order a list is sorted by',
  order: 'ascending or descending',
  cursor:
    'an opaque page key: the query is bound to the partition of the jurisdiction checked first',
  // tip triage
  reason: 'a reason (free text or code)',
  department: 'the department referred to (free text)',
  finding: 'a verdict',
  outcome: 'a case result (its parts are plain)',
  hazardGrade: 'a code',
  fineYuan: 'an amount',
  accidentGrade: 'a code',
  deaths: 'a number',
  // leaders' decisions on a hazard
  attendees: 'free text',
  agreed: 'free text',
  nextDate: 'a date',
  documentNumber: 'a document number typed by the officer',
  adjustedAmountFen: 'an amount',
  days: 'a number',
  // reward claims and payment
  method: 'how a reward is paid (a code)',
  bank: "the tipster's own account (its parts are plain)",
  accountName: "the tipster's own name on the account",
  bankName: 'a bank, typed',
  accountNumber: "the tipster's own account number",
  paidOn: 'a date',
  voucherNumber: 'a voucher number typed by the reward officer',
  claimCode: "the claimant's code, checked against the tip's own claim",
  // hazards
  source: 'a channel',
  place: 'free text',
  grade: 'a grade',
  standard: 'a citation',
  ref: 'a standard',
  clause: 'a clause',
  command: 'the command (its fields are classified)',
  type: 'a command type',
  responsible: 'a person named in free text',
  measures: 'free text',
  deadline: 'a date',
  // a hazard's photos (photoKeys name the hazard's own, above)
  position: 'where a hazard was found (its parts are plain)',
  photoUploads: 'how many upload forms',
  // enterprises
  changes: 'the fields an edit of a record changes (its fields are classified)',
  name: 'a name',
  principal: 'a person (name and mobile)',
  controller: 'a person (name and mobile)',
  contacts: 'people (name, role, mobile), or the contact lists of a jurisdiction',
  mobile: 'a phone number',
  role: "a contact's role (free text)",
  date: 'a date',
  workingDays: 'a number',
  newDeadline: 'a date',
  plan: 'the plan (its fields are classified)',
  goalAndTasks: 'free text',
  methodsAndMeasures: 'free text',
  fundsAndMaterials: 'free text',
  responsibleBodyAndPeople: 'free text',
  deadlineAndRequirements: 'free text',
  safetyAndEmergencyMeasures: 'free text',
  note: 'free text',
  reasons: 'free text',
  onSite: 'a flag',
  holding: 'a flag',
  validDays: 'a number',
  kind: "an update kind, or a contact's kind",
  rows: 'rows of a spreadsheet (their fields are classified)',
  rowId: "the sheet's own row number",
  // chain heads
  page: 'a page number of a published day',
  // policies
  year: 'a year of the national calendar',
  holidays: 'dates',
  workdays: 'dates',
  ladder: 'the ladder (its fields are classified)',
  step: 'a step of the ladder',
  offsetDays: 'a number',
  urgent: 'a flag',
  recipients: 'kinds of recipient',
  officeHours: 'hours',
  startHour: 'a number',
  endHour: 'a number',
  lateAfterMinutes: 'a number',
  spreadMinutes: 'a number',
  // a tip's time limits and the look-back, kept with the ladder
  tipLimits: 'lengths of time limits',
  acceptDays: 'a number',
  verifyDays: 'a number',
  feedbackDays: 'a number',
  lookBack: 'look-back settings',
  afterDays: 'a number',
  generalSamplePercent: 'a number',
  // who signs off a major hazard, and the steps' messages (wording, no record named)
  closure: 'closure settings',
  majorSignOff: 'a role',
  messages: "the steps' message templates",
  reminder: "a step's template",
  notice_letter: "a step's template",
  circular: "a step's template",
  summons: "a step's template",
  public_exposure: "a step's template",
  subject: 'a template text',
  body: 'a template text',
  expected: 'template texts per recipient',
  default: 'a template text',
  enterprise_principal: 'a template text for a recipient',
  enterprise_controller: 'a template text for a recipient',
  public_page: 'a template text for a recipient',
  // a jurisdiction's contact lists (`contacts` and `address` are classified above)
  assigned_officer: 'contacts of a recipient (e-mail, mobile, robot)',
  jurisdiction_departments: 'contacts of a recipient (e-mail, mobile, robot)',
  department_head: 'contacts of a recipient (e-mail, mobile, robot)',
  leader_in_charge: 'contacts of a recipient (e-mail, mobile, robot)',
  principal_leader: 'contacts of a recipient (e-mail, mobile, robot)',
  reward_officer: 'contacts of a recipient (e-mail, mobile, robot)',
  phone: 'a phone number',
  url: 'a webhook URL',
  secret: "a robot's signing secret",
  // a jurisdiction's reward policy (`name`, `source` and their `zh`/`en` are classified above)
  majorHazard: 'a share of the fine with its minimum and maximum',
  generalHazard: 'a share of the fine with its minimum and maximum',
  percent: 'a number',
  minYuan: 'an amount',
  maxYuan: 'an amount',
  concealedAccident: 'amounts per concealed death',
  perDeathYuan: 'amounts per accident grade',
  general: 'an amount',
  larger: 'an amount',
  major: 'an amount',
  especially_major: 'an amount',
  firstTipsterOnly: 'a flag',
  jointTipstersShare: 'a flag',
  noticeDays: 'a number',
  claimDays: 'a number',
  deadlineUnit: 'a unit of days',
};

/**
 * Routes whose reply names every jurisdiction by design (public reference data): there,
 * the other jurisdiction's code and names are not a leak. Its records still are.
 */
export const routesNamingEveryJurisdiction: Record<string, string> = {
  listJurisdictions: 'the public list a tip can be sent to',
  getOpenApi: "the document's examples name cq-gecheng",
};

/** A body or query the matrix sends besides the route's example, to reach more inputs. */
export interface Variant {
  name: string;
  /** Merged over the example's top level (a `command` given here replaces the example's). */
  body?: Record<string, unknown>;
  query?: Record<string, string>;
  /** Brings each fresh fixture set into the state the variant's command needs. */
  prepare?: (f: Fixtures, api: Api) => Promise<void>;
}

const placeholder = 'filled from the fixtures';

/**
 * More requests per route: each record input a route accepts must be sent by its example
 * or by one of these (the matrix says which is missing).
 */
export const variants: Record<string, readonly Variant[]> = {
  recordHazard: [
    { name: 'from a tip', body: { source: 'tip', tipId: placeholder } },
    { name: 'with photos', body: { photoKeys: placeholder } },
  ],
  submitEnterpriseUpdate: [{ name: 'with photos', body: { photoKeys: placeholder } }],
  requestHazardPhotoUploads: [
    { name: 'for a recorded hazard', body: { hazardId: placeholder } },
    { name: 'for a tip', body: { tipId: placeholder } },
  ],
  giveHazardCommand: [
    {
      name: 'submit_evidence',
      body: {
        command: { type: 'submit_evidence', note: '已清理安全出口', photoKeys: placeholder },
      },
      prepare: (f, api) => hazardCommands(api, f, [startRectification]),
    },
  ],
  giveTipCommand: [
    { name: 'merge', body: { command: { type: 'merge', intoTipId: placeholder } } },
    {
      name: 'record_joint_tipsters',
      body: { command: { type: 'record_joint_tipsters', tipIds: placeholder } },
    },
    {
      name: 'record_finding',
      body: {
        command: {
          type: 'record_finding',
          finding: 'substantiated',
          note: '现场核实属实',
          hazardId: placeholder,
        },
      },
      prepare: (f, api) =>
        tipCommands(api, f, [{ type: 'accept' }, { type: 'start_investigation' }]),
    },
  ],
};

/**
 * A role the route admits but the example's command does not (commands have roles of
 * their own): the body that role would send instead, merged over the example's top level.
 */
const leaderSummons = {
  type: 'record_summons',
  attendees: '企业主要负责人',
  agreed: '限期整改',
  nextDate: '2099-12-31',
};

export const roleBodies: Record<string, Partial<Record<Role, Record<string, unknown>>>> = {
  giveHazardCommand: {
    department_head: { command: { type: 'refuse_extension', reason: '理由不充分' } },
    leader_in_charge: { command: leaderSummons },
    principal_leader: { command: leaderSummons },
  },
  giveTipCommand: {
    department_head: { command: { type: 'approve_extension', days: 10, reason: '案情复杂' } },
    reward_officer: { command: { type: 'compute_reward' } },
  },
};

// ---------------------------------------------------------------------------------------
// Reading the route table

export type InputPlace = 'path' | 'query' | 'body';

/** Every input name a route has, where, from its schemas and its examples (any depth). */
export function inputsOf(route: RouteDefinition): Record<InputPlace, Set<string>> {
  const path = new Set<string>();
  for (const match of route.path.matchAll(/\{(\w+)\}/g)) if (match[1]) path.add(match[1]);
  if (route.pathParameters) schemaNames(route.pathParameters.schema, path);
  const query = new Set<string>();
  if (route.query) {
    schemaNames(route.query.schema, query);
    exampleNames(route.query.example, query);
  }
  const body = new Set<string>();
  if (route.request) {
    schemaNames(route.request.body, body);
    exampleNames(route.request.example, body);
  }
  for (const variant of variants[route.operationId] ?? []) {
    exampleNames(variant.body, body);
    exampleNames(variant.query, query);
  }
  for (const roleBody of Object.values(roleBodies[route.operationId] ?? {})) {
    exampleNames(roleBody, body);
  }
  return { path, query, body };
}

/** The input names a route's examples (and variants) actually send. */
export function sentNames(route: RouteDefinition): Set<string> {
  const names = new Set<string>();
  for (const match of route.path.matchAll(/\{(\w+)\}/g)) if (match[1]) names.add(match[1]);
  exampleNames(route.query?.example, names);
  exampleNames(route.request?.example, names);
  for (const variant of variants[route.operationId] ?? []) {
    exampleNames(variant.body, names);
    exampleNames(variant.query, names);
  }
  return names;
}

function schemaNames(schema: z.core.$ZodType, into: Set<string>) {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonNode;
  const definitions = (json.$defs ?? {}) as Record<string, JsonNode>;
  const seen = new Set<string>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    const object = node as JsonNode;
    if (typeof object.$ref === 'string') {
      const name = object.$ref.split('/').pop() ?? '';
      if (!seen.has(name)) {
        seen.add(name);
        walk(definitions[name]);
      }
    }
    if (object.properties && typeof object.properties === 'object') {
      for (const [name, child] of Object.entries(object.properties as Record<string, unknown>)) {
        into.add(name);
        walk(child);
      }
    }
    for (const key of ['items', 'prefixItems', 'anyOf', 'oneOf', 'allOf', 'additionalProperties']) {
      walk(object[key]);
    }
  };
  walk(json);
}

type JsonNode = Record<string, unknown> & { $ref?: unknown; $defs?: unknown; properties?: unknown };

function exampleNames(example: unknown, into: Set<string>) {
  if (!example || typeof example !== 'object') return;
  if (Array.isArray(example)) {
    for (const item of example) exampleNames(item, into);
    return;
  }
  for (const [name, value] of Object.entries(example)) {
    into.add(name);
    exampleNames(value, into);
  }
}

// ---------------------------------------------------------------------------------------
// Calling the API

export interface Caller {
  role: Role;
  jurisdiction: string;
}

export interface Reply {
  status: number;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: assertions, not types, check a reply's shape
  body: any;
}

/** The API as a signed-in demo user or anonymously; one token per (role, jurisdiction). */
export class Api {
  readonly url: string;
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(url: string) {
    this.url = url;
  }

  token(caller: Caller): Promise<string> {
    const username = `${caller.jurisdiction}.${caller.role}`;
    let token = this.tokens.get(username);
    if (!token) {
      token = signIn(this.url, username);
      this.tokens.set(username, token);
    }
    return token;
  }

  async call(
    method: string,
    path: string,
    options: { as?: Caller | null; body?: unknown } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.as) headers.authorization = `Bearer ${await this.token(options.as)}`;
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    return { status: response.status, text, body };
  }

  /** A call that must succeed: fixtures are made by people allowed to make them. */
  async must(method: string, path: string, options: { as?: Caller | null; body?: unknown }) {
    const reply = await this.call(method, path, options);
    if (reply.status >= 300) {
      throw new Error(`fixture: ${method} ${path} answered ${reply.status}: ${reply.text}`);
    }
    return reply;
  }
}

// ---------------------------------------------------------------------------------------
// Making the fixtures through the API, as the people allowed to

const exampleBody = (routes: readonly RouteDefinition[], operationId: string) =>
  routes.find((route) => route.operationId === operationId)?.request?.example as Record<
    string,
    unknown
  >;

let serial = 0;

/** A web tip in the jurisdiction, its texts marked; its id read from its upload form. */
export async function createMarkedTip(
  api: Api,
  jurisdiction: string,
  marker: string,
  photoCount = 1,
): Promise<{
  receipt: string;
  tipId: string;
  description: string;
  photoUploads: { url: string; fields: Record<string, string> }[];
}> {
  serial += 1;
  const description = `${marker} 举报内容 ${serial}：仓库安全出口被货物堵住。`;
  const reply = await api.must('POST', '/api/tips', {
    body: {
      ...exampleBody(publicTipRoutes, 'createTip'),
      idempotencyKey: randomUUID(),
      jurisdiction,
      unit: undefined,
      address: `${marker} 举报地址 ${serial}`,
      description,
      photoCount: Math.max(photoCount, 1),
    },
  });
  const key: string = reply.body.photoUploads[0].fields.key;
  const tipId = /^incoming\/tips\/([a-z2-7]{26})\//.exec(key)?.[1];
  if (!tipId) throw new Error(`fixture: no tip id in the upload key ${key}`);
  return { receipt: reply.body.receipt, tipId, description, photoUploads: reply.body.photoUploads };
}

/** A hazard recorded by the jurisdiction's officer, its texts marked. */
export async function createMarkedHazard(
  api: Api,
  jurisdiction: string,
  marker: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  serial += 1;
  const reply = await api.must('POST', '/api/office/hazards', {
    as: { role: 'officer', jurisdiction },
    body: {
      ...exampleBody(hazardRoutes, 'recordHazard'),
      idempotencyKey: randomUUID(),
      jurisdiction,
      place: `${marker} 隐患地点 ${serial}`,
      description: `${marker} 隐患描述 ${serial}：安全出口被货物堵死。`,
      ...overrides,
    },
  });
  return reply.body.hazard.hazardId;
}

export async function createLink(api: Api, jurisdiction: string, hazardId: string) {
  const reply = await api.must('POST', `/api/office/hazards/${hazardId}/enterprise-link`, {
    as: { role: 'officer', jurisdiction },
    body: { validDays: 60 },
  });
  return reply.body.token as string;
}

/** One set of fixtures in a jurisdiction: two tips, a hazard and its enterprise link. */
export async function makeFixtures(
  api: Api,
  jurisdiction: string,
  marker: string,
): Promise<Fixtures> {
  const uscc = await createEnterprise(api, jurisdiction, marker);
  const [tip, tip2, hazardId] = await Promise.all([
    createMarkedTip(api, jurisdiction, marker),
    createMarkedTip(api, jurisdiction, marker),
    createMarkedHazard(api, jurisdiction, marker, { enterprise: uscc }),
  ]);
  const token = await createLink(api, jurisdiction, hazardId);
  return {
    jurisdiction,
    marker,
    receipt: tip.receipt,
    tipId: tip.tipId,
    tipText: tip.description,
    tip2Id: tip2.tipId,
    tip2Text: tip2.description,
    hazardId,
    token,
    uscc,
  };
}

/** A fresh, valid credit code (GB 32100 check character), so each run registers anew. */
function freshUscc(): string {
  const body = `91${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  const organization = Array.from(
    { length: 9 },
    () => usccAlphabet[Math.floor(Math.random() * 31)],
  ).join('');
  const first17 = `${body}${organization}`;
  return `${first17}${usccCheckCharacter(first17)}`;
}

export async function createEnterprise(api: Api, jurisdiction: string, marker: string) {
  const uscc = freshUscc();
  await api.must('POST', '/api/office/enterprises', {
    as: { role: 'officer', jurisdiction },
    body: {
      ...exampleBody(enterpriseRoutes, 'registerEnterprise'),
      uscc,
      jurisdiction,
      name: `${marker} 企业`,
      address: `${marker} 企业地址`,
    },
  });
  return uscc;
}

/** The strings that identify a set's records in a reply (the code is kept apart). */
export function identifiersOf(f: Fixtures): string[] {
  return [f.marker, f.receipt, f.tipId, f.tip2Id, f.hazardId, f.token, f.uscc];
}

// ---------------------------------------------------------------------------------------
// Bringing records into a state, as the jurisdiction's officer

/** The documented start of rectification (a major hazard needs its six-part plan). */
const startRectification = exampleBody(hazardRoutes, 'giveHazardCommand').command;

async function hazardCommands(api: Api, f: Fixtures, commands: readonly unknown[]) {
  const as: Caller = { role: 'officer', jurisdiction: f.jurisdiction };
  for (const command of commands) {
    const current = await api.must('GET', `/api/office/hazards/${f.hazardId}`, { as });
    await api.must('POST', `/api/office/hazards/${f.hazardId}/commands`, {
      as,
      body: { idempotencyKey: randomUUID(), expectedRevision: current.body.revision, command },
    });
  }
}

async function tipCommands(api: Api, f: Fixtures, commands: readonly unknown[]) {
  const as: Caller = { role: 'officer', jurisdiction: f.jurisdiction };
  for (const command of commands) {
    const current = await api.must('GET', `/api/office/tips/${f.tipId}`, { as });
    await api.must('POST', `/api/office/tips/${f.tipId}/commands`, {
      as,
      body: { idempotencyKey: randomUUID(), expectedRevision: current.body.revision, command },
    });
  }
}

/** The current revision of the record the request's path names (tip or hazard). */
async function currentRevision(context: InputContext): Promise<unknown> {
  const readers: Record<string, (id: string) => string> = {
    hazardId: (id) => `/api/office/hazards/${id}`,
    tipId: (id) => `/api/office/tips/${id}`,
  };
  for (const [name, read] of Object.entries(readers)) {
    const named = context.path[name];
    if (!named) continue;
    const reply = await context.api.call('GET', read(named.value), {
      as: { role: 'officer', jurisdiction: named.owner.jurisdiction },
    });
    if (typeof reply.body?.revision === 'number') return reply.body.revision;
  }
  return (context.example as { expectedRevision?: unknown } | undefined)?.expectedRevision ?? 1;
}
