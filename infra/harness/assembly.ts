import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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
const harnessRoot = join(repoRoot, '.harness');

/** One folder per process: two test runs at once must not delete each other's bundles. */
export const harnessAssemblyDir = join(harnessRoot, `cdk.out.${process.pid}`);

/** The newest assembly an earlier run left, for HARNESS_REUSE while working on the harness. */
export function latestHarnessAssembly(): string | undefined {
  const folders = readdirSafe(harnessRoot)
    .filter((name) => name.startsWith('cdk.out.'))
    .map((name) => join(harnessRoot, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return folders[0];
}

function readdirSafe(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

/** Assemblies older than an hour are from runs that are over. */
function removeStaleAssemblies(): void {
  for (const name of readdirSafe(harnessRoot)) {
    const folder = join(harnessRoot, name);
    if (Date.now() - statSync(folder).mtimeMs > 3_600_000) {
      rmSync(folder, { recursive: true, force: true });
    }
  }
}

const fixtureSite = join(repoRoot, 'tests/infra/fixtures/site');

export function synthesizeForHarness(
  overrides: Partial<QinglingStackProps> = {},
  outdir = harnessAssemblyDir,
): string {
  const cdkJson = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  removeStaleAssemblies();
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
