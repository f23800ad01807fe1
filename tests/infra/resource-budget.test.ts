import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Synthesized, synthesize } from './synth.ts';

/**
 * CloudFormation refuses a template of more than 500 resources. The stack was at 471 with
 * every API handler in it (about 8 resources a route); the handlers now live in nested
 * stacks by route group (infra/aws/lib/route-groups.ts). These budgets keep room below
 * the limit: a template over its budget fails here, named with its count, long before a
 * deploy would. Over budget, split a route group or move a construct into a nested stack.
 */
const mainTemplateBudget = 350;
const nestedTemplateBudget = 450;

/** Each template of a synthesized deployment and how many resources it holds. */
function templateSizes(synthesized: Synthesized) {
  return readdirSync(synthesized.outdir)
    .filter((file) => file.endsWith('.template.json'))
    .map((file) => {
      const template = JSON.parse(readFileSync(join(synthesized.outdir, file), 'utf8')) as {
        Resources: Record<string, unknown>;
      };
      const nested = file.endsWith('.nested.template.json');
      return {
        file,
        resources: Object.keys(template.Resources).length,
        budget: nested ? nestedTemplateBudget : mainTemplateBudget,
      };
    });
}

const profiles: [string, () => Synthesized][] = [
  ['global', () => synthesize()],
  [
    'china',
    () =>
      synthesize({
        profile: 'china',
        cdn: 'none',
        auth: { kind: 'oidc', issuer: 'https://sso.example.gov.cn', audience: ['qingling'] },
        siteUrl: 'https://qingling.example.gov.cn',
        smsProviderUrl: 'https://sms.example.gov.cn/send',
      }),
  ],
];

describe.each(profiles)('the %s deployment', (_profile, synthesizeProfile) => {
  let sizes: ReturnType<typeof templateSizes>;
  beforeAll(() => {
    sizes = templateSizes(synthesizeProfile());
  });

  it(`keeps the stack's own template within ${mainTemplateBudget} resources and each nested one within ${nestedTemplateBudget} (CloudFormation's limit: 500)`, () => {
    expect(sizes.filter(({ file }) => file === 'Qingling.template.json')).toHaveLength(1);
    for (const { file, resources, budget } of sizes) {
      expect(
        resources,
        `${file} holds ${resources} resources, over its budget of ${budget}`,
      ).toBeLessThanOrEqual(budget);
    }
  });

  it('builds the API handlers in nested stacks, every one of them within budget', () => {
    expect(
      sizes.filter(({ file }) => file.endsWith('.nested.template.json')).length,
    ).toBeGreaterThan(1);
  });
});
