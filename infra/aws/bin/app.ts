import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configFromContext, webAclFromContext } from '../lib/config.ts';
import { repoRoot } from '../lib/paths.ts';
import { QinglingStack } from '../lib/qingling-stack.ts';
import { WebAclStack } from '../lib/web-acl-stack.ts';

const app = new App();

// The built web app; context `siteDir` may point elsewhere (relative to the repository).
const siteDir = (app.node.tryGetContext('siteDir') as string | undefined) ?? 'web/build';
const siteAssetPath = resolve(repoRoot, siteDir);
const missing = ['index.html', '200.html'].filter(
  (page) => !existsSync(resolve(siteAssetPath, page)),
);
if (missing.length) {
  console.error(
    `The web app is not built (${siteDir} has no ${missing.join(' or ')}): run npm run build:web first.`,
  );
  process.exit(1);
}

// A configuration the profile's regions cannot deploy stops here, saying what to pass.
let config: ReturnType<typeof configFromContext>;
try {
  config = configFromContext(app.node);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

// Env-agnostic on purpose: no account or region lookups, so synth works offline, and
// partition-neutral ARNs let the same template deploy to the China regions (profile china).
new QinglingStack(app, 'Qingling', { ...config, siteAssetPath });

// With -c createWebAcl=true: the CloudFront web ACL in us-east-1, deployed on its own
// (cdk deploy QinglingWebAcl -c createWebAcl=true); its WebAclArn output then goes to the
// main stack as -c webAclArn=... See infra/aws/README.md.
const webAcl = webAclFromContext(app.node);
if (webAcl) new WebAclStack(app, 'QinglingWebAcl', webAcl);

// cdk-nag AwsSolutions as a policy-validation plugin: any unacknowledged finding fails synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
