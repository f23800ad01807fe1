import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type CfnResource, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  type DeploymentConfig,
  defaultReceiptRouteThrottle,
  defaultThrottle,
} from '../../infra/aws/lib/config.ts';
import { QinglingStack, type QinglingStackProps } from '../../infra/aws/lib/qingling-stack.ts';
import { flattenNestedStacks } from '../../infra/harness/nested-stacks.ts';
import type { TemplateJson } from '../../infra/harness/template.ts';

/** A tiny built site: index.html, 200.html, a prerendered page and an immutable asset. */
export const fixtureSite = fileURLToPath(new URL('./fixtures/site/', import.meta.url));

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

export const baseConfig: DeploymentConfig = {
  profile: 'global',
  cdn: 'cloudfront',
  auth: { kind: 'cognito' },
  codeVersion: '0.0.0-test',
  throttle: { ...defaultThrottle },
  receiptRouteThrottle: { ...defaultReceiptRouteThrottle },
};

export interface Synthesized {
  stack: QinglingStack;
  /** The cloud assembly folder: assets such as the generated config.json live there. */
  outdir: string;
  /** The deployment as one template: the API's nested stacks folded in (flattenedTemplate). */
  template: Template;
  /** The whole template as JSON text, for "appears nowhere" assertions. */
  json: string;
  annotations: Annotations;
  /** cdk-nag AwsSolutions findings that no acknowledgment covers. */
  nagViolations: { ruleName: string; severity: string; paths: string[] }[];
}

/**
 * Synthesizes one variant of the stack the way bin/app.ts does (cdk.json's feature flags),
 * with the fixture site and without running esbuild: `npm run synth` bundles for real.
 */
export function synthesize(
  overrides: Partial<QinglingStackProps> = {},
  options: { bundle?: boolean } = {},
): Synthesized {
  const plain = Object.keys(overrides).length === 0 && !options.bundle;
  if (!plain) return synthesizeAnew(overrides, options);
  // The default stack, synthesized once for every file of the run (the infra project does
  // not isolate its files): each file synthesized it again, 9-19 s a file on the 2-core
  // machine. The tests only read what they are given.
  defaultSynthesized ??= synthesizeAnew();
  return defaultSynthesized;
}
let defaultSynthesized: Synthesized | undefined;

function synthesizeAnew(
  overrides: Partial<QinglingStackProps> = {},
  options: { bundle?: boolean } = {},
): Synthesized {
  const app = new App({
    context: {
      ...cdkJson.context,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  const stack = new QinglingStack(app, 'Qingling', {
    ...baseConfig,
    siteAssetPath: fixtureSite,
    ...overrides,
  });
  const template = Template.fromJSON(flattenedTemplate(stack) as never);
  return {
    stack,
    outdir: app.outdir,
    template,
    json: JSON.stringify(template.toJSON()),
    annotations: Annotations.fromStack(stack),
    nagViolations: nagViolationsOf(stack),
  };
}

/** Each nested stack under a stack, by the logical id of its AWS::CloudFormation::Stack. */
export function nestedStacksOf(stack: Stack): Map<string, NestedStack> {
  const found = new Map<string, NestedStack>();
  for (const construct of stack.node.findAll()) {
    if (!(construct instanceof NestedStack)) continue;
    const resource = construct.nestedStackResource as CfnResource;
    found.set(Stack.of(resource).resolve(resource.logicalId) as string, construct);
  }
  return found;
}

/**
 * A stack's template with its nested stacks folded in (infra/harness/nested-stacks.ts):
 * what the infra tests read, so a route's function is found wherever its group lives.
 */
export function flattenedTemplate(stack: Stack): TemplateJson {
  const nested = nestedStacksOf(stack);
  // One synthesis for all: Template.fromStack would synthesize the app again for each.
  const assembly = Stage.of(stack)?.synth({ force: true });
  if (!assembly) throw new Error(`${stack.stackName} is in no stage`);
  const read = (file: string) =>
    JSON.parse(readFileSync(join(assembly.directory, file), 'utf8')) as TemplateJson;
  return flattenNestedStacks(read(stack.templateFile), (logicalId) => {
    const found = nested.get(logicalId);
    if (!found) throw new Error(`No nested stack ${logicalId}`);
    return read(found.templateFile);
  });
}

/** The cdk-nag AwsSolutions findings on a stack that no acknowledgment covers. */
export function nagViolationsOf(stack: Stack): Synthesized['nagViolations'] {
  const report = new AwsSolutionsChecks(undefined, { verbose: false }).validateScope(stack);
  return report.violations.map((violation) => ({
    ruleName: violation.ruleName,
    severity: violation.severity ?? 'error',
    paths: violation.violatingResources.map((resource) => resource.constructPath ?? '?'),
  }));
}

/** A CDK app with cdk.json's feature flags, for stacks other than the main one. */
export function appWithProjectContext(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...cdkJson.context, ...context } });
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** Resources of one type, by logical id. */
export function resourcesOfType(synthesized: Synthesized, type: string) {
  const resources = (synthesized.template.toJSON() as { Resources: Resources }).Resources;
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([logicalId, resource]) => ({ logicalId, properties: resource.Properties ?? {} }));
}

/** The one resource of a type (with that logical id, if given); throws when there is none. */
export function resourceOfType(synthesized: Synthesized, type: string, logicalId?: string) {
  const found = resourcesOfType(synthesized, type).filter(
    (candidate) => logicalId === undefined || candidate.logicalId === logicalId,
  );
  if (found.length !== 1) {
    throw new Error(
      `Expected one ${type}${logicalId ? ` ${logicalId}` : ''}, found ${found.length}`,
    );
  }
  return found[0] as (typeof found)[number];
}

/** The /config.json the site deployment writes (Source.jsonData, tokens still as markers). */
export function deployedConfigJson(synthesized: Synthesized): {
  text: string;
  markers: Record<string, unknown>;
} {
  for (const { properties } of resourcesOfType(synthesized, 'Custom::CDKBucketDeployment')) {
    const keys = properties.SourceObjectKeys as string[];
    const markers = (properties.SourceMarkers ?? []) as Record<string, unknown>[];
    for (const [index, key] of keys.entries()) {
      const file = join(synthesized.outdir, `asset.${key.replace(/\.zip$/, '')}`, 'config.json');
      try {
        return { text: readFileSync(file, 'utf8'), markers: markers[index] ?? {} };
      } catch {
        // not this source
      }
    }
  }
  throw new Error('No deployment writes config.json');
}
