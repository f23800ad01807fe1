import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DynaliteCall, dynaliteCallChannel } from '#local/dynalite-transport.ts';

/**
 * Every DynamoDB call dynalite answers in this process, seen from dynalite's side: over HTTP
 * (Node's `http.server.request.start` diagnostics channel) and in-process (the embedded
 * cloud's own client, which the handlers and the lifecycle conductor share, through
 * infra/local/src/dynalite-transport.ts), whichever client sent it. Each call is its
 * API operation (the X-Amz-Target after the dot) and when it started and was answered.
 */
export interface DynamoCall {
  operation: string;
  /**
   * What the call touched, from its request: the kind of item by its keys' prefixes, e.g.
   * `Query HAZARD# E#..STATE` (a load), `PutItem HAZARD# STATE`, `GetItem POLICY CONTACTS#`.
   */
  target: string;
  /** Whether it carried a SigV4 signature (the embedded cloud's own client sends a fixed one). */
  signed: boolean;
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

/**
 * `describe: false` records each call's operation as its target and never reads a body:
 * a bench counting operations at load (bench/tip-intake.ts) measures the stack, not the
 * instrument (parsing every request body again cost about 1.5 % of its CPU).
 */
export function watchDynamoCalls(options: { describe?: boolean } = {}): DynamoCallWatch {
  const describe = options.describe ?? true;
  const calls: DynamoCall[] = [];
  const record = (
    headers: Readonly<Record<string, string | string[] | undefined>>,
    body: () => string,
    startedAt: number,
    endedAt: number,
  ) => {
    const target = headers['x-amz-target'];
    if (typeof target !== 'string' || !target.startsWith('DynamoDB_')) return;
    const operation = target.slice(target.indexOf('.') + 1);
    calls.push({
      operation,
      target: describe ? describeRequest(operation, body()) : operation,
      signed: !String(headers.authorization).endsWith('Signature=local'),
      startedAt,
      endedAt,
    });
  };
  const overHttp = (message: unknown) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    if (typeof request.headers['x-amz-target'] !== 'string') return;
    const startedAt = performance.now();
    // The body as dynalite reads it (a tap on its 'data' events, which reading emits anyway).
    const chunks: Buffer[] = [];
    const emit = request.emit;
    if (describe) {
      request.emit = function tap(this: IncomingMessage, event: string, ...args: unknown[]) {
        if (event === 'data') chunks.push(Buffer.from(args[0] as Buffer));
        return emit.call(this, event, ...args);
      } as typeof request.emit;
    }
    response.once('finish', () =>
      record(
        request.headers,
        () => Buffer.concat(chunks).toString('utf8'),
        startedAt,
        performance.now(),
      ),
    );
  };
  // The embedded cloud's own client hands its calls to dynalite in-process, without HTTP.
  const inProcess = (message: unknown) => {
    const call = message as DynaliteCall;
    record(call.headers, () => call.body, call.startedAt, call.endedAt);
  };
  subscribe('http.server.request.start', overHttp);
  subscribe(dynaliteCallChannel, inProcess);
  return {
    calls,
    since: (from) => calls.slice(from),
    stop: () => {
      unsubscribe('http.server.request.start', overHttp);
      unsubscribe(dynaliteCallChannel, inProcess);
    },
  };
}

/** Counts by what was touched, e.g. { 'Query HAZARD# E#..STATE': 2, ... }. */
export function byTarget(calls: readonly DynamoCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[call.target] = (counts[call.target] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

type AttributeValue = { S?: string; N?: string };

/**
 * A key's value without what names the one record: `HAZARD#abc` -> `HAZARD#`, `E#0000000012`
 * -> `E#`, `POLICY#CONTACTS` as it is, a key of lower-case names -> `<id>`.
 */
const kindOf = (value: AttributeValue | undefined) => {
  const text = value?.S ?? value?.N ?? '';
  const match = /^[A-Z_]+(?:#[A-Z_]+(?=#|$))*#?/.exec(text);
  return match ? match[0] : text ? '<id>' : '-';
};

function describeRequest(operation: string, body: string): string {
  let request: Record<string, unknown>;
  try {
    request = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return operation;
  }
  const key = (request.Key ?? request.Item) as Record<string, AttributeValue> | undefined;
  if (key) {
    const index = request.Item && (request.Item as Record<string, unknown>).gsi1pk ? ' +gsi1' : '';
    return `${operation} ${kindOf(key.pk)} ${kindOf(key.sk)}${index}`;
  }
  if (operation === 'Query') {
    const values = (request.ExpressionAttributeValues ?? {}) as Record<string, AttributeValue>;
    const index = request.IndexName ? `${String(request.IndexName)} ` : '';
    const range = Object.entries(values)
      .filter(([name]) => name !== ':pk')
      .map(([, value]) => kindOf(value))
      .join('..');
    return `Query ${index}${kindOf(values[':pk'])}${range ? ` ${range}` : ''}`;
  }
  return operation;
}
