import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type Stack } from 'aws-cdk-lib';
import { Annotations, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  type DeploymentConfig,
  defaultReceiptRouteThrottle,
  defaultThrottle,
} from '../../infra/aws/lib/config.ts';
import { QinglingStack, type QinglingStackProps } from '../../infra/aws/lib/qingling-stack.ts';

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
  const template = Template.fromStack(stack);
  return {
    stack,
    outdir: app.outdir,
    template,
    json: JSON.stringify(template.toJSON()),
    annotations: Annotations.fromStack(stack),
    nagViolations: nagViolationsOf(stack),
  };
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
