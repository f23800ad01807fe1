import { jsonError, ServiceError, type ServiceRegistration } from '../aws-endpoint.ts';
import type { LambdaRuntime } from '../lambda-runtime.ts';

/**
 * Lambda's Invoke API, asynchronous invocations only (InvocationType Event): what a
 * function does to start another outside its own request (the ledger export's worker).
 * The caller's role must allow lambda:InvokeFunction on the name it gives (a qualified
 * ARN, the alias `live`); the harness then answers 202 and runs the function in the
 * background, as Lambda's queue would, once, with the event as given.
 */
export class LambdaService {
  private readonly running = new Set<Promise<unknown>>();
  private readonly runtime: LambdaRuntime;

  constructor(runtime: LambdaRuntime) {
    this.runtime = runtime;
  }

  /** Resolves once no asynchronous invocation is under way. */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  registration(): ServiceRegistration {
    const error = jsonError('application/json');
    return {
      error,
      denied: (message) => error(new ServiceError('AccessDeniedException', message, 403)),
      handle: async (request, caller) => {
        const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(request.url.pathname);
        if (request.method !== 'POST' || !match?.[1]) {
          throw new ServiceError(
            'UnsupportedOperation',
            `The harness does not emulate ${request.method} ${request.url.pathname}`,
          );
        }
        const name = decodeURIComponent(match[1]);
        const qualifier = request.url.searchParams.get('Qualifier');
        const fn = this.runtime.find(name);
        // IAM names the function as invoked: its ARN, with the qualifier when one is given.
        const resource = /^arn:.+:function:[^:]+:[^:]+$/.test(name)
          ? name
          : `${fn.arn}${qualifier ? `:${qualifier}` : ''}`;
        caller.authorize({ action: 'lambda:InvokeFunction', resource });
        const type = String(request.headers['x-amz-invocation-type'] ?? 'RequestResponse');
        if (type !== 'Event') {
          throw new ServiceError(
            'UnsupportedOperation',
            `The harness runs only asynchronous invocations, not ${type}`,
          );
        }
        const event = JSON.parse(request.body.toString('utf8') || '{}') as unknown;
        const run: Promise<unknown> = this.runtime
          .invoke(fn.arn, event)
          .catch(() => undefined) // kept in runtime.invocations, which problems() reports
          .finally(() => this.running.delete(run));
        this.running.add(run);
        return { status: 202, headers: { 'content-type': 'application/json' }, body: '' };
      },
    };
  }
}
