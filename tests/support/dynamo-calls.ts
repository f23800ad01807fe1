import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Every DynamoDB call dynalite answers in this process, seen from the server's side (Node's
 * `http.server.request.start` diagnostics channel): the handlers' client and the embedded
 * cloud's own (the lifecycle conductor's) alike, whichever client sent it. Each call is its
 * API operation (the X-Amz-Target after the dot) and when it started and was answered.
 */
export interface DynamoCall {
  operation: string;
  startedAt: number;
  endedAt: number;
}

const writeOperations = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

export const isWrite = (call: Pick<DynamoCall, 'operation'>) => writeOperations.has(call.operation);

/** Counts by operation, e.g. { GetItem: 1, PutItem: 2 }. */
export function byOperation(calls: readonly DynamoCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
  return counts;
}

/**
 * The longest chain of calls each answered before the next one started: how many round
 * trips a request waits for one after another (calls sent at once count as one).
 */
export function sequentialDepth(calls: readonly DynamoCall[]): number {
  let depth = 0;
  let free = Number.NEGATIVE_INFINITY;
  for (const call of [...calls].sort((a, b) => a.endedAt - b.endedAt)) {
    if (call.startedAt >= free) {
      depth += 1;
      free = call.endedAt;
    }
  }
  return depth;
}

export interface DynamoCallWatch {
  /** Calls answered so far (calls still under way are not in it). */
  readonly calls: readonly DynamoCall[];
  /** The calls answered since `from` (an index into calls, e.g. a previous length). */
  since(from: number): DynamoCall[];
  stop(): void;
}

export function watchDynamoCalls(): DynamoCallWatch {
  const calls: DynamoCall[] = [];
  const listener = (message: unknown) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const target = request.headers['x-amz-target'];
    if (typeof target !== 'string' || !target.startsWith('DynamoDB_')) return;
    const operation = target.slice(target.indexOf('.') + 1);
    const startedAt = performance.now();
    response.once('finish', () => calls.push({ operation, startedAt, endedAt: performance.now() }));
  };
  subscribe('http.server.request.start', listener);
  return {
    calls,
    since: (from) => calls.slice(from),
    stop: () => unsubscribe('http.server.request.start', listener),
  };
}
