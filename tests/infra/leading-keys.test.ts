import type { RouteDefinition } from '@qingling/shared/api/routes.ts';
import { routes } from '@qingling/shared/api/routes.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../infra/harness/iam.ts';
import { DeployedTemplate, type TemplateJson } from '../../infra/harness/template.ts';
import { tableDesign } from '../../infra/table-design.ts';
import { type Synthesized, synthesize } from './synth.ts';

/**
 * Issue 10: each function's table access limited to the partitions it needs
 * (`dynamodb:LeadingKeys`). Every route declares its partitions of the table and of each
 * index it queries, and its function gets exactly those: the template's policies are
 * evaluated here as IAM does (infra/harness/iam.ts), request by request, for every route.
 */
const table: readonly RouteDefinition[] = routes;
let synthesized: Synthesized;
let template: DeployedTemplate;
let tableArn: string;

beforeAll(() => {
  synthesized = synthesize();
  template = new DeployedTemplate(
    synthesized.template.toJSON() as TemplateJson,
    synthesized.outdir,
  );
  tableArn = template.getAtt(
    synthesized.stack.getLogicalId(synthesized.stack.table.table.node.defaultChild as never),
    'Arn',
  );
});

/** Whether a handler's role may make this call on the table (or an index) for these keys. */
function allows(handler: string, action: string, keys: string[], index?: string): boolean {
  const fn = synthesized.stack.api.functions.get(handler);
  if (!fn) throw new Error(`No function for ${handler}`);
  const role = synthesized.stack.getLogicalId(fn.role.node.defaultChild as never);
  return evaluate(template.roleStatements(role), {
    action: `dynamodb:${action}`,
    resource: index ? `${tableArn}/index/${index}` : tableArn,
    context: keys.length ? { 'dynamodb:LeadingKeys': keys } : {},
  }).allowed;
}

/** A partition key each pattern matches (its `*` filled), and keys of every kind in the table. */
const sampleOf = (pattern: string) => pattern.replaceAll('*', 'cq-gecheng#x');
const probes = [
  'TIP#0abcdefghijklmnopqrstuvwxy',
  'TIP#STATS#cq-gecheng',
  'HAZARD#0abcdefghijklmnopqrstuvwxy',
  'HAZARD#STATS#cq-gecheng',
  'ENTERPRISE#cq-gecheng#91500000MA5U123456',
  'EXPOSED#cq-gecheng',
  'JURISDICTION',
  'POLICY',
  'POLICY#CONTACTS',
  'USEREDITS',
  'META',
  'LOOKUP_FAILURES',
  'DELIVERY#x',
  'CHAINHEADS',
  'CHAINHEADS#2026-12-01',
  'LEDGER#INDEXES',
];
const indexProbes = [
  'TIPS#cq-gecheng#received',
  'HAZARDS#cq-gecheng#reported',
  'ENTERPRISES#cq-gecheng',
  'ENTERPRISE#cq-gecheng#91500000MA5U123456',
  'REWARDS#cq-gecheng',
  'LEDGER#cq-gecheng#reported#major#office',
  'CHANGES#2026-12-01T02',
  'LIFECYCLE_WAITS',
  'TIPPLACE#cq-gecheng#E#清水加油站',
];
const matches = (patterns: readonly string[], key: string) =>
  patterns.some((pattern) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`).test(
      key,
    ),
  );

/** What all of a handler's routes declare together (CDK grants its function exactly that). */
function declared(handler: string) {
  const served = table.filter((route) => route.handler === handler);
  const indexes = new Map<string, string[]>();
  for (const route of served) {
    for (const [index, keys] of Object.entries(route.table.indexes ?? {})) {
      indexes.set(index, [...(indexes.get(index) ?? []), ...(keys ?? [])]);
    }
  }
  const write = served.flatMap((route) => route.table.write ?? []);
  return { read: [...served.flatMap((route) => route.table.read), ...write], write, indexes };
}
const handlers = [...new Set(table.map((route) => route.handler))];

describe('table access by partition (dynamodb:LeadingKeys)', () => {
  it('is declared by every route, and names only indexes the table has', () => {
    for (const route of table) expect(route.table, route.operationId).toBeDefined();
    const names = tableDesign.globalSecondaryIndexes.map((index) => index.indexName);
    for (const route of table) {
      for (const index of Object.keys(route.table.indexes ?? {})) {
        expect(names, route.operationId).toContain(index);
      }
    }
  });

  it("gives every route's role exactly the partitions its routes declare: reads, writes, each index", () => {
    for (const handler of handlers) {
      const access = declared(handler);
      for (const key of [...probes, ...access.read.map(sampleOf)]) {
        const readable = matches(access.read, key);
        const writable = matches(access.write, key);
        for (const action of ['GetItem', 'Query', 'BatchGetItem']) {
          expect(allows(handler, action, [key]), `${handler} ${action} ${key}`).toBe(readable);
        }
        for (const action of ['PutItem', 'UpdateItem']) {
          expect(allows(handler, action, [key]), `${handler} ${action} ${key}`).toBe(writable);
        }
        expect(allows(handler, 'DeleteItem', [key]), `${handler} DeleteItem ${key}`).toBe(false);
      }
      for (const { indexName } of tableDesign.globalSecondaryIndexes) {
        const patterns = access.indexes.get(indexName) ?? [];
        for (const key of [...indexProbes, ...patterns.map(sampleOf)]) {
          expect(
            allows(handler, 'Query', [key], indexName),
            `${handler} Query ${indexName} ${key}`,
          ).toBe(matches(patterns, key));
        }
      }
      // A request without leading keys (a Scan, or a Query the key does not bind) has none.
      expect(allows(handler, 'Scan', []), handler).toBe(false);
      expect(allows(handler, 'Query', []), handler).toBe(false);
    }
  });

  it('holds the office roles to their own work: the reward desk reads no hazard, a list writes nothing', () => {
    expect(allows('get-reward-desk', 'GetItem', ['HAZARD#0abcdefghijklmnopqrstuvwxy'])).toBe(false);
    expect(allows('get-reward-desk', 'Query', ['REWARDS#cq-gecheng'], 'gsi2')).toBe(true);
    expect(allows('get-reward-desk', 'Query', ['HAZARDS#cq-gecheng#reported'], 'gsi1')).toBe(false);
    for (const handler of ['list-tips', 'list-hazards', 'list-enterprises', 'get-desk']) {
      for (const key of probes) expect(allows(handler, 'PutItem', [key]), handler).toBe(false);
    }
    expect(allows('list-tips', 'Query', ['TIPS#cq-gecheng#received'], 'gsi1')).toBe(true);
    expect(allows('list-tips', 'GetItem', ['TIP#0abcdefghijklmnopqrstuvwxy'])).toBe(false);
    // The statistics read the counters, never a record.
    expect(allows('get-hazard-statistics', 'BatchGetItem', ['HAZARD#STATS#cq-gecheng'])).toBe(true);
    expect(allows('get-hazard-statistics', 'GetItem', ['HAZARD#0abcdefghijklmnopqrstuvwxy'])).toBe(
      false,
    );
  });

  it('lets the contact lists be read and written only by the routes that keep them', () => {
    expect(allows('get-jurisdiction-contacts', 'GetItem', ['POLICY#CONTACTS'])).toBe(true);
    expect(allows('get-jurisdiction-contacts', 'PutItem', ['POLICY#CONTACTS'])).toBe(false);
    expect(allows('update-jurisdiction-contacts', 'PutItem', ['POLICY#CONTACTS'])).toBe(true);
    expect(allows('update-jurisdiction-contacts', 'PutItem', ['POLICY'])).toBe(false);
    expect(allows('get-policies', 'Query', ['POLICY'])).toBe(true);
    expect(allows('get-policies', 'GetItem', ['POLICY#CONTACTS'])).toBe(false);
    expect(allows('update-calendar-year', 'PutItem', ['POLICY'])).toBe(true);
    expect(allows('update-calendar-year', 'PutItem', ['JURISDICTION'])).toBe(false);
    expect(allows('me', 'GetItem', ['JURISDICTION'])).toBe(false);
    // An anonymous caller's function never reaches the office's contact lists, nor an index.
    expect(allows('create-tip', 'GetItem', ['POLICY#CONTACTS'])).toBe(false);
    expect(allows('lookup-tip', 'Query', ['POLICY#CONTACTS'])).toBe(false);
    expect(allows('create-tip', 'Query', ['TIPS#cq-gecheng#received'], 'gsi1')).toBe(false);
  });

  it('lets the users’ edit logs be written by the user routes that edit, read by the list', () => {
    expect(allows('update-user', 'PutItem', ['USEREDITS'])).toBe(true);
    expect(allows('create-user', 'PutItem', ['USEREDITS'])).toBe(true);
    expect(allows('list-users', 'BatchGetItem', ['USEREDITS'])).toBe(true);
    expect(allows('list-users', 'PutItem', ['USEREDITS'])).toBe(false);
    expect(allows('update-jurisdiction-contacts', 'PutItem', ['USEREDITS'])).toBe(false);
    expect(allows('me', 'GetItem', ['USEREDITS'])).toBe(false);
  });
});

describe('every function of the deployment, routes or not', () => {
  it('reaches the table and its indexes only through statements that name their partitions', () => {
    const json = synthesized.template.toJSON() as TemplateJson;
    const dynamo: { policy: string; actions: string[]; condition: string }[] = [];
    for (const [policy, resource] of Object.entries(json.Resources)) {
      if (resource.Type !== 'AWS::IAM::Policy') continue;
      const document = (resource.Properties as { PolicyDocument: { Statement: unknown[] } })
        .PolicyDocument;
      for (const statement of document.Statement as {
        Action: string | string[];
        Condition?: unknown;
      }[]) {
        const actions = [statement.Action]
          .flat()
          .filter((action) => action.startsWith('dynamodb:'));
        if (actions.length === 0) continue;
        dynamo.push({ policy, actions, condition: JSON.stringify(statement.Condition ?? {}) });
      }
    }
    // The scheduled functions (chain heads, reconciler, retention, weekly reports, export
    // worker, lifecycle tasks) as well as the routes': many statements, none without keys.
    expect(dynamo.length).toBeGreaterThan(60);
    const unheld = dynamo.filter(
      ({ condition }) =>
        !condition.includes('"dynamodb:LeadingKeys":[') ||
        !condition.includes('"Null":{"dynamodb:LeadingKeys":"false"}'),
    );
    expect(unheld).toEqual([]);
  });
});
