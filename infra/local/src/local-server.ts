import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiError } from '@qingling/shared/api/errors.ts';

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export interface StartingServer {
  /** The address it listens on, e.g. http://127.0.0.1:8787. */
  url: string;
  /** From now on requests reach `handler` (until then: 503). */
  ready(handler: RequestHandler): void;
  /** Stops listening, and resolves once every request under way has been answered. */
  close(): Promise<void>;
}

/**
 * An HTTP server that answers from the moment it listens: 503 with Retry-After while the
 * stack is still starting (resuming lifecycles can take a while), never a request left
 * hanging.
 */
export async function listenWhileStarting(port: number, host: string): Promise<StartingServer> {
  let serve: RequestHandler | undefined;
  // Requests under way: the stack waits for them before it closes its store, so a request
  // still working when the stack stops is answered, never cut off mid-write.
  const underWay = new Set<Promise<void>>();
  const server = createServer((request, response) => {
    if (serve) {
      const answered = serve(request, response).finally(() => underWay.delete(answered));
      underWay.add(answered);
      return;
    }
    const { status, body } = apiError('service_starting');
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'retry-after': '1',
    });
    response.end(JSON.stringify(body));
  });
  // Clients keep an idle connection until the server's Keep-Alive hint, less a margin. At
  // Node's 5 s, a request sent as that margin runs out (a busy event loop, a slow machine)
  // meets a socket the server is closing: ECONNRESET. A minute, as load balancers keep them,
  // leaves that race to connections idle for a minute; headers still have to come in time.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    ready: (handler) => {
      serve = handler;
    },
    close: async () => {
      server.close();
      // A kept-alive connection may bring one more request as the last one ends.
      do {
        server.closeIdleConnections();
        await Promise.allSettled([...underWay]);
      } while (underWay.size > 0);
      server.closeAllConnections();
    },
  };
}

export class BodyTooLarge extends Error {}

export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(JSON.stringify(body));
}
