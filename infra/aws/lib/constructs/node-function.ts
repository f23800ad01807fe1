import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Alias,
  Architecture,
  type CfnAlias,
  type IEventSource,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { Charset, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
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

/** The alias every invoker names: a deploy points it at the new version, a rollback back. */
export const liveAliasName = 'live';

/**
 * The alias `live`, named by its ARN written out, `<function ARN>:live`: the value the
 * alias's own Ref returns in CloudFormation, so AWS sees the same template either way.
 * Written out, it can be read without modelling AWS::Lambda::Alias (the template harness
 * resolves Ref only for the types it runs); in exchange nothing infers a dependency from
 * it, so whatever names it must wait for the alias explicitly (NodeFunction.invokedBy).
 * The name is the ARN too: Lambda takes an ARN wherever it takes a function name.
 */
class LiveAlias extends Alias {
  override get functionArn(): string {
    return `${this.lambda.functionArn}:${this.aliasName}`;
  }

  override get functionName(): string {
    return this.functionArn;
  }
}

/**
 * The deployment's one log group for its functions' logs, per retention period. A
 * template holds at most 500 resources, and a log group per function was 57 of them;
 * Lambda names each log stream of a shared group after its function, so the logs stay
 * apart.
 */
function sharedLogGroup(scope: Construct, retention: RetentionDays): LogGroup {
  // Functions in a nested stack (the API's route groups) log to the root stack's group too.
  let stack = Stack.of(scope);
  while (stack.nestedStackParent) stack = stack.nestedStackParent;
  const id = `FunctionLogs${retention}`;
  return (
    (stack.node.tryFindChild(id) as LogGroup | undefined) ??
    new LogGroup(stack, id, { retention, removalPolicy: RemovalPolicy.DESTROY })
  );
}

/**
 * A Lambda function the way Qingling runs them: Node.js 24 on arm64, one minified ESM
 * bundle per handler (the AWS SDK comes from the runtime), logs in the stack's shared log
 * group with a retention period, and its own role that may write to that log group (and
 * send X-Ray traces) and nothing else until it is granted more. No AWS managed policy, so every
 * permission is visible here.
 *
 * Every deploy that changes the function publishes a version and points the alias `live`
 * at it, at once. Everything that invokes the function invokes `alias` (API routes, the
 * state machines' tasks, queues, S3, schedules, Cognito, the deploy-time custom resource),
 * and every Lambda permission is on it: pointing `live` back at the previous version rolls
 * a bad deploy back (infra/aws/README.md). Old versions are retained for that.
 *
 * Lambda traces each invocation (active tracing); the bundles carry no X-Ray SDK.
 */
export class NodeFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  /** `live`, on the current version: what every invoker names, by its ARN. */
  readonly alias: Alias;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    this.logGroup = sharedLogGroup(this, props.logRetention);
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
      tracing: Tracing.ACTIVE,
      // A retained version can still be pointed at after the next deploy: the rollback.
      currentVersionOptions: { removalPolicy: RemovalPolicy.RETAIN },
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
        // Chinese text as UTF-8 (3 bytes a character), not \uXXXX escapes (6): the bilingual
        // refusals and calendars are a good part of every bundle (about 5 KiB each).
        charset: Charset.UTF8,
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

    this.alias = new LiveAlias(this, 'Live', {
      aliasName: liveAliasName,
      version: this.function.currentVersion,
      description: 'What every invoker names: the deployed version, or the one rolled back to',
    });

    // Tracing.ACTIVE grants xray:PutTraceSegments and xray:PutTelemetryRecords on "*".
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing: Lambda sends the trace segments of each invocation with ' +
        'xray:PutTraceSegments and xray:PutTelemetryRecords, which have no resource-level ' +
        'permissions, so the grant names "*".',
    });
  }

  /**
   * Makes CloudFormation create the alias before these constructs (and everything in
   * them): they name the alias by its ARN, which infers no dependency. An invoke
   * permission or event source mapping on an alias that does not exist yet fails.
   */
  invokedBy(...consumers: IConstruct[]): void {
    const alias = this.alias.node.defaultChild as CfnAlias;
    for (const consumer of consumers) consumer.node.addDependency(alias);
  }

  /** An event source (an SQS queue) for the alias: the mapping names it, and waits for it. */
  addEventSource(source: IEventSource): void {
    const before = new Set(this.alias.node.children);
    this.alias.addEventSource(source);
    this.invokedBy(...this.alias.node.children.filter((child) => !before.has(child)));
  }
}
