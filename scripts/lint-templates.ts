// Lints the stack's CloudFormation templates, its own and its nested stacks' (the API's
// route groups), with cfn-lint for each profile, against the regions it is meant for: the
// global profile in us-east-1, us-west-2 and eu-west-1, the china profile in cn-north-1
// and cn-northwest-1 (where a resource type the region lacks, such as a Cognito user pool,
// is error E3006). Synthesizes without bundling, with the test fixture site, so it needs
// no build. Exit 1 on any error (each is printed); warnings are counted. cfn-lint is a
// Python tool (pip), in neither npm nor Debian: where it is missing this says so loudly
// and exits 0, so that the other tests still run.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { configFromContext } from '../infra/aws/lib/config.ts';
import { repoRoot } from '../infra/aws/lib/paths.ts';
import { QinglingStack } from '../infra/aws/lib/qingling-stack.ts';

interface Variant {
  name: string;
  /** CDK context, as `-c key=value` would give it. */
  context: Record<string, string>;
  regions: string[];
}

const variants: Variant[] = [
  { name: 'global', context: {}, regions: ['us-east-1', 'us-west-2', 'eu-west-1'] },
  {
    name: 'china',
    context: {
      profile: 'china',
      oidcIssuer: 'https://sso.example.gov.cn',
      oidcAudience: 'qingling',
      smsProviderUrl: 'https://sms.example.gov.cn/send',
    },
    regions: ['cn-north-1', 'cn-northwest-1'],
  },
];

interface Finding {
  Filename?: string;
  Level: string;
  Message: string;
  Rule: { Id: string };
  Location: { Path: (string | number)[]; Start: { LineNumber: number } };
}

const started = performance.now();
const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

const cdkJson = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};
const fixtureSite = join(repoRoot, 'tests/infra/fixtures/site');
const workDir = mkdtempSync(join(tmpdir(), 'qingling-cfn-lint-'));

/** Runs a command to its end: exit code (null if it could not start) and output. */
function run(command: string, args: string[]) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => resolve({ code: null, stdout, stderr: String(error) }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function notInstalled(): never {
  rmSync(workDir, { recursive: true, force: true });
  const bar = '!'.repeat(88);
  console.log(
    [
      bar,
      '!!!! cfn-lint is not installed: the CloudFormation templates were NOT linted        !!!!',
      '!!!! (neither the global template nor the China one: a resource type a region lacks !!!!',
      '!!!! would only be found when CloudFormation refuses the deployment).               !!!!',
      '!!!! Install it (Python 3.9+) and run npm test again:                               !!!!',
      '!!!!     pipx install cfn-lint     or     python3 -m pip install --user cfn-lint    !!!!',
      bar,
    ].join('\n'),
  );
  process.exit(0);
}

// Asked while the first template is synthesized: Python takes a second to answer.
const versionCheck = run('cfn-lint', ['--version']);

/**
 * Synthesizes one variant as `cdk synth -c ...` would, without bundling; the paths of its
 * template and of its nested stacks' templates (the API's route groups).
 */
function synthesize(variant: Variant): string[] {
  const outdir = join(workDir, `${variant.name}.out`);
  const app = new App({
    outdir,
    context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...variant.context },
  });
  new QinglingStack(app, 'Qingling', {
    ...configFromContext(app.node),
    siteAssetPath: fixtureSite,
  });
  const template = app.synth().getStackByName('Qingling').template as unknown;
  const file = join(workDir, `${variant.name}.template.json`);
  writeFileSync(file, JSON.stringify(template, null, 1));
  const nested = readdirSync(outdir)
    .filter((name) => name.endsWith('.nested.template.json'))
    .map((name) => join(outdir, name));
  if (!nested.length) throw new Error(`The ${variant.name} assembly has no nested stack`);
  return [file, ...nested];
}

/** Runs cfn-lint on templates; its findings, or the reason it could not lint. */
async function lint(files: string[], regions: string[]): Promise<Finding[]> {
  const { code, stdout, stderr } = await run('cfn-lint', [
    '--format',
    'json',
    '--regions',
    ...regions,
    '--',
    ...files,
  ]);
  // Exit codes are bit flags: 2 errors, 4 warnings, 8 informational; 1 a failure.
  try {
    if (code === null || code & 1) throw new Error(`exit ${code}`);
    return stdout.trim() ? (JSON.parse(stdout) as Finding[]) : [];
  } catch (error) {
    throw new Error(`cfn-lint could not lint ${files.join(' ')} (${String(error)}):\n${stderr}`);
  }
}

const linting: Promise<{ variant: Variant; findings: Finding[] }>[] = [];
let version = '';
for (const variant of variants) {
  let files: string[];
  try {
    files = synthesize(variant);
  } catch (error) {
    // Without cfn-lint there is nothing to lint: the infra tests report a broken synth.
    if ((await versionCheck).code !== 0) notInstalled();
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
  if (!version) {
    const answer = await versionCheck;
    // 127: a shim (pyenv, asdf) that found no cfn-lint behind it.
    if (answer.code !== 0) notInstalled();
    version = answer.stdout.trim();
  }
  // Each template is linted while the next is synthesized.
  linting.push(lint(files, variant.regions).then((findings) => ({ variant, findings })));
}

let errors = 0;
try {
  for (const { variant, findings } of await Promise.all(linting)) {
    const failed = findings.filter((finding) => finding.Level === 'Error');
    const others = findings.filter((finding) => finding.Level !== 'Error');
    const otherRules = [...new Set(others.map((finding) => finding.Rule.Id))].join(', ');
    errors += failed.length;
    console.log(
      `${variant.name} templates (${variant.regions.join(' ')}; the stack and its nested ` +
        `stacks): ${failed.length} errors, ` +
        `${others.length} warnings${others.length ? ` (${otherRules})` : ''}`,
    );
    for (const finding of failed) {
      console.log(
        `  ${finding.Rule.Id} ${finding.Filename ?? ''} ${finding.Location.Path.join('/')} (line ${finding.Location.Start.LineNumber}): ${finding.Message}`,
      );
    }
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  errors += 1;
}

if (errors) {
  console.log(`${version}: ${errors} errors (${seconds()})`);
  console.log(`The templates are kept in ${workDir}`);
  process.exit(1);
}
rmSync(workDir, { recursive: true, force: true });
console.log(`${version}: no errors (${seconds()})`);
