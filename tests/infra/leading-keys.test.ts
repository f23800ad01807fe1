import type { RouteDefinition } from '@qingling/shared/api/routes.ts';
import { routes } from '@qingling/shared/api/routes.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../infra/harness/iam.ts';
import { DeployedTemplate, type TemplateJson } from '../../infra/harness/template.ts';
import { type Synthesized, synthesize } from './synth.ts';

/**
 * Issue 10: each function's table access limited to the partitions it needs
 * (`dynamodb:LeadingKeys`). Routes that declare `table` (every public route, and the
 * office's routes whose partitions are known: jurisdictions, policies, contact lists, the
 * caller's own claims) get those partitions and no index; the template's policies are
 * evaluated here as IAM does (infra/harness/iam.ts), request by request.
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
    context: { 'dynamodb:LeadingKeys': keys },
  }).allowed;
}

const handlersDeclaringPartitions = () =>
  [...new Set(table.map((route) => route.handler))].filter((handler) =>
    table.filter((route) => route.handler === handler).every((route) => route.table !== undefined),
  );

describe('table access by partition (dynamodb:LeadingKeys)', () => {
  it('limits the office routes whose partitions are known, not only the public ones', () => {
    expect(handlersDeclaringPartitions()).toEqual(
      expect.arrayContaining([
        'me',
        'update-jurisdiction',
        'get-policies',
        'update-calendar-year',
        'get-jurisdiction-contacts',
        'update-jurisdiction-contacts',
      ]),
    );
  });

  it('refuses every such role an item outside its partitions, and any index', () => {
    for (const handler of handlersDeclaringPartitions()) {
      for (const action of ['GetItem', 'Query', 'PutItem', 'UpdateItem']) {
        for (const key of ['TIP#0ABCDEF', 'HAZARD#0ABCDEF', 'ENTERPRISE#91500000MA5U123456']) {
          const declared = table
            .filter((route) => route.handler === handler)
            .flatMap((route) => [...(route.table?.read ?? []), ...(route.table?.write ?? [])]);
          if (declared.some((pattern) => key.startsWith(pattern.replace(/\*$/, '')))) continue;
          expect(allows(handler, action, [key]), `${handler} ${action} ${key}`).toBe(false);
        }
        expect(allows(handler, 'Query', ['TIPS#cq-gecheng'], 'gsi1'), handler).toBe(false);
      }
    }
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
    // An anonymous caller's function never reaches the office's contact lists.
    expect(allows('create-tip', 'GetItem', ['POLICY#CONTACTS'])).toBe(false);
    expect(allows('lookup-tip', 'Query', ['POLICY#CONTACTS'])).toBe(false);
  });

  it('still grants an office route without declared partitions the table and its indexes', () => {
    expect(allows('list-tips', 'Query', ['TIPS#cq-gecheng'], 'gsi1')).toBe(true);
  });
});
