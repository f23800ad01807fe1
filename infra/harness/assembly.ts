import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { defaultReceiptRouteThrottle, defaultThrottle } from '../aws/lib/config.ts';
import { repoRoot } from '../aws/lib/paths.ts';
import { QinglingStack, type QinglingStackProps } from '../aws/lib/qingling-stack.ts';

/**
 * Synthesizes the stack the way `npm run synth` does, bundles included (esbuild, the
 * photo processor's native modules for Lambda), into a folder under the repository (so the
 * bundles resolve the AWS SDK the Lambda runtime provides from this repository's
 * node_modules), with cdk.json's feature flags and a small fixture site.
 */
export const harnessAssemblyDir = join(repoRoot, '.harness', 'cdk.out');

const fixtureSite = join(repoRoot, 'tests/infra/fixtures/site');

export function synthesizeForHarness(
  overrides: Partial<QinglingStackProps> = {},
  outdir = harnessAssemblyDir,
): string {
  const cdkJson = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir, context: cdkJson.context });
  new QinglingStack(app, 'Qingling', {
    cdn: 'cloudfront',
    auth: { kind: 'cognito' },
    codeVersion: '0.0.0-harness',
    throttle: { ...defaultThrottle },
    receiptRouteThrottle: { ...defaultReceiptRouteThrottle },
    siteAssetPath: fixtureSite,
    ...overrides,
  });
  app.synth();
  return outdir;
}
