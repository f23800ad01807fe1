import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DeployedTemplate } from './template.ts';

/**
 * Runs the template's Lambda functions as Lambda would: each from its built bundle (the
 * asset CDK made, not the source), with exactly the environment its template gives it plus
 * what the Lambda runtime adds, and with credentials that name its own role, so the
 * harness's AWS endpoint can hold each call to that role's policy. One warm environment per
 * function (a worker thread), started on first use.
 */

export interface DeployedFunction {
  logicalId: string;
  name: string;
  arn: string;
  runtime: string;
  /** The bundle file and its exported handler, or undefined for a non-Node function. */
  bundle?: string;
  handlerName: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
  memorySize: number;
  roleLogicalId: string;
  roleArn: string;
}

export class FunctionError extends Error {
  readonly errorType: string;
  constructor(errorType: string, message: string) {
    super(message);
    this.name = 'FunctionError';
    this.errorType = errorType;
  }
}

export interface Invocation {
  functionName: string;
  durationMs: number;
  error?: { type: string; message: string };
}

const workerFile = fileURLToPath(new URL('./lambda-worker.ts', import.meta.url));

export class LambdaRuntime {
  readonly functions: ReadonlyMap<string, DeployedFunction>;
  readonly invocations: Invocation[] = [];
  /** What each function printed (Powertools' JSON logs), for a failing test to show. */
  readonly logs = new Map<string, string[]>();
  private readonly template: DeployedTemplate;
  private readonly endpoint: string;
  private readonly workers = new Map<string, Worker>();
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private nextId = 1;
  private assets?: { files: Record<string, { source: { path: string } }> };

  constructor(template: DeployedTemplate, options: { endpoint: string }) {
    this.template = template;
    this.endpoint = options.endpoint;
    const functions = new Map<string, DeployedFunction>();
    for (const { logicalId, resource } of template.ofType('AWS::Lambda::Function')) {
      functions.set(
        logicalId,
        this.describe(logicalId, resource.Properties ?? {}, resource.Metadata),
      );
    }
    this.functions = functions;
  }

  /** A function by logical id, name or ARN (with or without a qualifier). */
  find(reference: string): DeployedFunction {
    const unqualified = reference.replace(
      /^(arn:[^:]+:lambda:[^:]+:[^:]+:function:[^:]+):.*$/,
      '$1',
    );
    for (const fn of this.functions.values()) {
      if ([fn.logicalId, fn.name, fn.arn].includes(unqualified)) return fn;
    }
    throw new FunctionError('ResourceNotFoundException', `Function not found: ${reference}`);
  }

  async invoke(reference: string, event: unknown): Promise<unknown> {
    const fn = this.find(reference);
    if (!fn.bundle) {
      throw new Error(`${fn.logicalId} (${fn.runtime}) is not a Node.js bundle the harness runs`);
    }
    const started = Date.now();
    const worker = this.workerFor(fn);
    const id = this.nextId++;
    const deadline = started + fn.timeoutSeconds * 1000;
    const context = {
      functionName: fn.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: fn.arn,
      memoryLimitInMB: String(fn.memorySize),
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${fn.name}`,
      logStreamName: 'harness',
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        new Promise((resolve, reject) => {
          this.pending.set(id, { resolve, reject });
          worker.postMessage({ id, event, context, deadline });
        }),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => {
            // Lambda ends a timed-out sandbox: the next call starts a fresh one.
            this.pending.delete(id);
            void worker.terminate();
            this.workers.delete(fn.logicalId);
            reject(
              new FunctionError(
                'Sandbox.Timedout',
                `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
              ),
            );
          }, fn.timeoutSeconds * 1000);
        }),
      ]);
      this.invocations.push({ functionName: fn.logicalId, durationMs: Date.now() - started });
      return result;
    } catch (caught) {
      const error = caught as Error & { errorType?: string };
      this.invocations.push({
        functionName: fn.logicalId,
        durationMs: Date.now() - started,
        error: { type: error.errorType ?? error.name, message: error.message },
      });
      throw caught;
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.workers.values()].map((worker) => worker.terminate()));
    this.workers.clear();
  }

  private workerFor(fn: DeployedFunction): Worker {
    const existing = this.workers.get(fn.logicalId);
    if (existing) return existing;
    const { place } = this.template;
    const worker = new Worker(workerFile, {
      workerData: { bundle: fn.bundle, handlerName: fn.handlerName },
      stdout: true,
      stderr: true,
      env: {
        // What the Lambda runtime sets, then the template's variables.
        AWS_REGION: place.region,
        AWS_DEFAULT_REGION: place.region,
        AWS_LAMBDA_FUNCTION_NAME: fn.name,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
        AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
        LAMBDA_TASK_ROOT: '/var/task',
        TZ: ':UTC',
        // The role's credentials: the endpoint knows the role by its access key id.
        AWS_ACCESS_KEY_ID: fn.roleLogicalId,
        AWS_SECRET_ACCESS_KEY: 'harness',
        AWS_SESSION_TOKEN: 'harness',
        // The harness's stand-in for every AWS service endpoint.
        AWS_ENDPOINT_URL: this.endpoint,
        ...fn.environment,
      },
    });
    const log = this.logs.get(fn.logicalId) ?? [];
    this.logs.set(fn.logicalId, log);
    const keep = (chunk: Buffer) => {
      log.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (log.length > 500) log.splice(0, log.length - 500);
    };
    worker.stdout.on('data', keep);
    worker.stderr.on('data', keep);
    worker.on(
      'message',
      (message: { id: number; result?: unknown; error?: { name: string; message: string } }) => {
        const waiting = this.pending.get(message.id);
        if (!waiting) return;
        this.pending.delete(message.id);
        if (message.error) {
          waiting.reject(new FunctionError(message.error.name, message.error.message));
        } else {
          waiting.resolve(message.result);
        }
      },
    );
    worker.on('error', (error) => {
      log.push(`worker error: ${error.stack ?? error.message}`);
      this.workers.delete(fn.logicalId);
    });
    worker.unref();
    this.workers.set(fn.logicalId, worker);
    return worker;
  }

  /** The folder of a function's code asset, from the assembly's asset manifest. */
  private assetPathOf(code: unknown): string | undefined {
    const key = (code as { S3Key?: unknown } | undefined)?.S3Key;
    if (typeof key !== 'string') return undefined;
    this.assets ??= JSON.parse(
      readFileSync(
        join(this.template.assemblyDir, `${this.template.place.stackName}.assets.json`),
        'utf8',
      ),
    ) as { files: Record<string, { source: { path: string } }> };
    return this.assets.files[key.replace(/\.zip$/, '')]?.source.path;
  }

  private describe(
    logicalId: string,
    properties: Record<string, unknown>,
    metadata: Record<string, unknown> | undefined,
  ): DeployedFunction {
    const template = this.template;
    const roleLogicalId = template.logicalIdOf(properties.Role);
    if (!roleLogicalId) throw new Error(`${logicalId} has no role from this template`);
    const runtime = String(properties.Runtime ?? '');
    const [file = 'index', handlerName = 'handler'] = String(properties.Handler ?? '').split('.');
    const assetPath = metadata?.['aws:asset:path'] ?? this.assetPathOf(properties.Code);
    let bundle: string | undefined;
    if (runtime.startsWith('nodejs') && typeof assetPath === 'string') {
      const folder = join(template.assemblyDir, assetPath);
      bundle = [`${file}.mjs`, `${file}.js`].map((name) => join(folder, name)).find(existsSync);
      // Native modules beside a bundle are built for Lambda (linux arm64): run a copy of
      // the bundle that resolves them from this machine's node_modules instead.
      if (bundle && existsSync(join(folder, 'node_modules'))) {
        const hostFolder = `${folder}.host`;
        mkdirSync(hostFolder, { recursive: true });
        const copy = join(hostFolder, bundle.slice(folder.length + 1));
        copyFileSync(bundle, copy);
        bundle = copy;
      }
    }
    const variables = (template.resolve(
      (properties.Environment as { Variables?: unknown } | undefined)?.Variables,
    ) ?? {}) as Record<string, unknown>;
    return {
      logicalId,
      name: template.ref(logicalId),
      arn: template.getAtt(logicalId, 'Arn'),
      runtime,
      ...(bundle ? { bundle } : {}),
      handlerName,
      environment: Object.fromEntries(
        Object.entries(variables).map(([name, value]) => [name, String(value)]),
      ),
      timeoutSeconds: Number(properties.Timeout ?? 3),
      memorySize: Number(properties.MemorySize ?? 128),
      roleLogicalId,
      roleArn: template.getAtt(roleLogicalId, 'Arn'),
    };
  }
}
