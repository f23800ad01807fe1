import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { nativeModulesLockFile, repoRoot } from '../paths.ts';

export interface NodeFunctionProps {
  /** The TypeScript file exporting `handler`. */
  entry: string;
  description: string;
  environment?: Record<string, string>;
  logRetention: RetentionDays;
  memorySize?: number;
  timeout?: Duration;
  /**
   * Native modules (sharp) kept out of the bundle and installed beside it for Lambda's
   * platform, linux arm64, from infra/aws/native-modules/package-lock.json.
   */
  nativeModules?: readonly string[];
  /** Where events of failed asynchronous invocations go (after Lambda's two retries). */
  deadLetterQueue?: IQueue;
}

/**
 * npm settings for installing native modules: packages for linux arm64 with glibc
 * (Lambda's platform) whatever the build host is, prebuilt binaries only (no install
 * scripts), and from npm's cache when it has them, so a repeated synth needs no network.
 */
export const nativeModulesNpmEnvironment = {
  npm_config_os: 'linux',
  npm_config_cpu: 'arm64',
  npm_config_libc: 'glibc',
  npm_config_ignore_scripts: 'true',
  npm_config_prefer_offline: 'true',
} as const;

/** ESM bundles may still meet a CommonJS dependency that calls require(). */
const requireShim =
  "import { createRequire as __qinglingCreateRequire } from 'node:module';" +
  'const require = __qinglingCreateRequire(import.meta.url);';

/**
 * A Lambda function the way Qingling runs them: Node.js 24 on arm64, one minified ESM
 * bundle per handler (the AWS SDK comes from the runtime), its own log group with a
 * retention period, and its own role that may write to that log group and nothing else
 * until it is granted more. No AWS managed policy, so every permission is visible here.
 */
export class NodeFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs: ${props.description}`,
    });
    this.logGroup.grantWrite(this.role);

    for (const name of Object.keys(props.environment ?? {})) {
      if (name.length < 2) throw new Error(`Lambda environment variable "${name}" is too short`);
    }

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      environment: props.environment ?? {},
      projectRoot: repoRoot,
      depsLockFilePath: props.nativeModules?.length
        ? nativeModulesLockFile
        : join(repoRoot, 'package-lock.json'),
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        platform: 'node',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: false,
        banner: requireShim,
        ...(props.nativeModules?.length
          ? {
              // CDK writes a package.json naming these modules (versions from the root
              // package.json), copies the lock file beside it and runs `npm ci` there.
              nodeModules: [...props.nativeModules],
              environment: { ...nativeModulesNpmEnvironment },
            }
          : {}),
      },
    });
  }
}
