import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { repoRoot } from '../paths.ts';

export interface NodeFunctionProps {
  /** The TypeScript file exporting `handler`. */
  entry: string;
  description: string;
  environment?: Record<string, string>;
  logRetention: RetentionDays;
  memorySize?: number;
  timeout?: Duration;
}

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
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        platform: 'node',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: false,
        banner: requireShim,
      },
    });
  }
}
