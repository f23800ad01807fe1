import { channel } from 'node:diagnostics_channel';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type {
  HttpHandlerOptions,
  HttpRequest,
  HttpResponse,
  RequestHandler,
  RequestHandlerOutput,
} from '@smithy/types';

/**
 * Each call the in-process transport hands to dynalite, once answered, for whoever
 * subscribes (tests/support/dynamo-calls.ts counts them beside the HTTP server's calls).
 * Published only while someone listens.
 */
export const dynaliteCallChannel = 'qingling.dynalite.call';
export interface DynaliteCall {
  /** The request's headers, names in lower case (x-amz-target, authorization, ...). */
  headers: Readonly<Record<string, string>>;
  body: string;
  statusCode: number;
  startedAt: number;
  endedAt: number;
}
const calls = channel(dynaliteCallChannel);

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/** The SDK's request handler (a Smithy HttpHandler), and its stop. */
export interface DynaliteTransport
  extends RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions> {
  updateHttpClientConfig(): void;
  httpHandlerConfigs(): Record<string, never>;
  /** Counts the client's calls from their start (before the SDK's middleware), to stop. */
  watch(client: DynamoDBClient): void;
  /**
   * Refuses calls sent from now on, then waits for those sent before (retries included)
   * to be answered.
   */
  stop(): Promise<void>;
}

/**
 * The embedded cloud's DynamoDB client talking to dynalite without a socket: each request
 * goes to dynalite's own request listener (the function its HTTP server calls), so its
 * parsing, validation, errors, consumed capacity and answers are the HTTP path's, byte for
 * byte; what is left out is Node's HTTP client and server and the socket between them, in
 * one process (issue 13). The HTTP server stays for everything else that has the endpoint.
 */
export function dynaliteTransport(server: Server): DynaliteTransport {
  const listener = server.listeners('request')[0] as RequestListener | undefined;
  if (!listener) throw new Error('dynalite has no request listener');
  const underWay = new Set<Promise<unknown>>();
  let stopped = false;
  const refusal = () => new Error('The embedded DynamoDB has stopped');
  const track = <T>(call: Promise<T>): Promise<T> => {
    underWay.add(call);
    const forget = () => underWay.delete(call);
    call.then(forget, forget);
    return call;
  };

  const handle = (
    request: HttpRequest,
    options?: HttpHandlerOptions,
  ): Promise<RequestHandlerOutput<HttpResponse>> => {
    const signal = options?.abortSignal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const answer = exchange(listener, request);
    if (!signal) return answer;
    // An abort leaves the call to finish inside dynalite (as over HTTP, where the server
    // goes on with what it read): only the caller stops waiting.
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(abortError(signal));
      addAbortListener(signal, onAbort);
      answer.then(resolve, reject).finally(() => removeAbortListener(signal, onAbort));
    });
  };

  return {
    metadata: { handlerProtocol: 'in-process' },
    handle,
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
    watch: (client) => {
      client.middlewareStack.add(
        (next) => (args) => (stopped ? Promise.reject(refusal()) : track(next(args))),
        { step: 'initialize', priority: 'high', name: 'dynaliteCallsUnderWay' },
      );
    },
    stop: async () => {
      stopped = true;
      while (underWay.size > 0) await Promise.allSettled([...underWay]);
    },
  };
}

/** One request through dynalite's listener, with the least of IncomingMessage and ServerResponse it reads. */
function exchange(
  listener: RequestListener,
  request: HttpRequest,
): Promise<RequestHandlerOutput<HttpResponse>> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  const body = bodyOf(request.body);
  const startedAt = performance.now();
  return new Promise((resolve) => {
    const incoming = Object.assign(new EventEmitter(), {
      method: request.method,
      url: pathOf(request),
      headers,
    });
    const replyHeaders: Record<string, string> = {};
    const outgoing = {
      statusCode: 200,
      setHeader(name: string, value: unknown) {
        replyHeaders[name.toLowerCase()] = String(value);
      },
      end(reply?: string) {
        const statusCode = this.statusCode;
        if (calls.hasSubscribers) {
          const call: DynaliteCall = {
            headers,
            body: body.toString('utf8'),
            statusCode,
            startedAt,
            endedAt: performance.now(),
          };
          calls.publish(call);
        }
        resolve({
          response: {
            statusCode,
            headers: replyHeaders,
            body: Buffer.from(reply ?? '', 'utf8'),
          },
        });
      },
    };
    listener(incoming as unknown as IncomingMessage, outgoing as unknown as ServerResponse);
    if (body.length > 0) incoming.emit('data', body);
    incoming.emit('end');
  });
}

function bodyOf(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.length);
  // The DynamoDB client serialises every operation to a string; nothing streams a body.
  throw new Error('The in-process DynamoDB transport takes string or byte bodies only');
}

function pathOf(request: HttpRequest): string {
  const query = Object.entries(request.query ?? {})
    .flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value]).map(
        (one) => `${encodeURIComponent(name)}=${encodeURIComponent(one ?? '')}`,
      ),
    )
    .join('&');
  return `${request.path || '/'}${query ? `?${query}` : ''}`;
}

/** The error the SDK's own Node handler gives an aborted request (its reason kept). */
function abortError(signal: Signal): Error {
  const reason = 'reason' in signal ? (signal.reason as unknown) : undefined;
  const error = new Error(
    reason && !(reason instanceof Error) ? String(reason) : 'Request aborted',
    reason instanceof Error ? { cause: reason } : undefined,
  );
  error.name = 'AbortError';
  return error;
}

type Signal = NonNullable<HttpHandlerOptions['abortSignal']>;
const addAbortListener = (signal: Signal, listener: () => void) => {
  if ('addEventListener' in signal && typeof signal.addEventListener === 'function') {
    signal.addEventListener('abort', listener, { once: true });
  } else {
    signal.onabort = listener;
  }
};
const removeAbortListener = (signal: Signal, listener: () => void) => {
  if ('removeEventListener' in signal && typeof signal.removeEventListener === 'function') {
    signal.removeEventListener('abort', listener);
  } else if (signal.onabort === listener) {
    signal.onabort = null;
  }
};
