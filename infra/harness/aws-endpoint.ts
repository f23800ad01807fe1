import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AuthorizationRequest,
  accessDeniedMessage,
  evaluate,
  type PolicyStatement,
} from './iam.ts';
import type { DeployedTemplate } from './template.ts';

/**
 * One HTTP endpoint that stands in for every AWS service the functions call
 * (AWS_ENDPOINT_URL points here). It reads who is calling from the request's SigV4
 * credential (the access key id names the caller's role), the service from its credential
 * scope, and holds every call to the role's identity policies, as IAM does, before the
 * service emulator acts. A refusal is answered with the error AWS gives, and kept in
 * `denials` so a test can name the missing grant even when a handler hides the error.
 */

export interface AwsRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface AwsResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface Caller {
  roleLogicalId: string;
  roleArn: string;
  /** Throws AccessDenied (and records it) unless the role's policies allow the request. */
  authorize(request: AuthorizationRequest): void;
}

export interface Denial {
  role: string;
  action: string;
  resource: string;
  message: string;
}

export class AccessDenied extends Error {
  readonly request: AuthorizationRequest;
  constructor(message: string, request: AuthorizationRequest) {
    super(message);
    this.name = 'AccessDenied';
    this.request = request;
  }
}

/** An error a service answers with, in its protocol's shape. */
export class ServiceError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status = 400) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

export type ServiceHandler = (request: AwsRequest, caller: Caller) => Promise<AwsResponse>;

/** How each service's protocol writes an access-denied error. */
export type DeniedShape = (message: string) => AwsResponse;

export interface ServiceRegistration {
  handle: ServiceHandler;
  denied: DeniedShape;
  error: (error: ServiceError) => AwsResponse;
}

export class Authority {
  readonly denials: Denial[] = [];
  /** Every request a role made and was allowed: what least privilege can be cut down to. */
  readonly allowed: { role: string; request: AuthorizationRequest }[] = [];
  private readonly template: DeployedTemplate;
  private readonly statements = new Map<string, PolicyStatement[]>();

  constructor(template: DeployedTemplate) {
    this.template = template;
  }

  caller(roleLogicalId: string): Caller {
    const template = this.template;
    template.resource(roleLogicalId);
    const roleArn = template.getAtt(roleLogicalId, 'Arn');
    const roleName = template.ref(roleLogicalId);
    const principalArn = `arn:${template.place.partition}:sts::${template.place.account}:assumed-role/${roleName}/harness`;
    return {
      roleLogicalId,
      roleArn,
      authorize: (request) => {
        const decision = evaluate(this.statementsOf(roleLogicalId), request);
        if (decision.allowed) {
          this.allowed.push({ role: roleLogicalId, request });
          return;
        }
        const message = accessDeniedMessage(principalArn, request, decision);
        this.denials.push({
          role: roleLogicalId,
          action: request.action,
          resource: request.resource,
          message,
        });
        throw new AccessDenied(message, request);
      },
    };
  }

  private statementsOf(roleLogicalId: string): PolicyStatement[] {
    let statements = this.statements.get(roleLogicalId);
    if (!statements) {
      statements = this.template.roleStatements(roleLogicalId);
      this.statements.set(roleLogicalId, statements);
    }
    return statements;
  }
}

/** The access key id and the service from a SigV4 Authorization header or query. */
export function credentialOf(request: AwsRequest): { accessKeyId: string; service: string } | null {
  const header = String(request.headers.authorization ?? '');
  const fromHeader = /Credential=([^/]+)\/[^/]+\/[^/]+\/([^/]+)\/aws4_request/.exec(header);
  const fromQuery = request.url.searchParams.get('X-Amz-Credential');
  const match =
    fromHeader ?? (fromQuery ? /^([^/]+)\/[^/]+\/[^/]+\/([^/]+)\//.exec(fromQuery) : null);
  if (!match?.[1] || !match[2]) return null;
  return { accessKeyId: match[1], service: match[2] };
}

export const jsonError =
  (contentType: string, prefix = '') =>
  (error: ServiceError): AwsResponse => ({
    status: error.status,
    headers: { 'content-type': contentType, 'x-amzn-errortype': error.code },
    body: JSON.stringify({
      __type: `${prefix}${error.code}`,
      message: error.message,
      Message: error.message,
    }),
  });

export function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

export class AwsEndpoint {
  readonly authority: Authority;
  private readonly services = new Map<string, ServiceRegistration>();
  /** Requests that are not signed like an SDK call but carry their own proof (S3 POST forms). */
  private unsigned?: ServiceHandler;
  private server?: Server;
  url = '';

  constructor(template: DeployedTemplate) {
    this.authority = new Authority(template);
  }

  register(service: string, registration: ServiceRegistration): void {
    this.services.set(service, registration);
  }

  /** Serves requests with no SigV4 header or query: a browser's S3 POST upload. */
  serveUnsigned(handler: ServiceHandler): void {
    this.unsigned = handler;
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      void this.serve(request, response);
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    this.server.close();
  }

  private async serve(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request: AwsRequest = {
      method: incoming.method ?? 'GET',
      url: new URL(incoming.url ?? '/', this.url),
      headers: incoming.headers,
      body: Buffer.concat(chunks),
    };
    const answer = await this.answer(request).catch(
      (error: unknown): AwsResponse => ({
        status: 500,
        headers: { 'content-type': 'text/plain' },
        body: `harness endpoint failed: ${(error as Error).stack ?? error}`,
      }),
    );
    response.writeHead(answer.status, answer.headers ?? {});
    response.end(answer.body ?? '');
  }

  private async answer(request: AwsRequest): Promise<AwsResponse> {
    const credential = credentialOf(request);
    if (!credential) {
      if (this.unsigned) return this.unsigned(request, this.anonymous());
      return { status: 403, body: 'The request is not signed' };
    }
    const service = this.services.get(credential.service);
    if (!service) {
      return {
        status: 501,
        headers: { 'content-type': 'text/plain' },
        body: `The harness does not emulate the service "${credential.service}"`,
      };
    }
    let caller: Caller;
    try {
      caller = this.authority.caller(credential.accessKeyId);
    } catch {
      return service.error(
        new ServiceError(
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
          403,
        ),
      );
    }
    try {
      return await service.handle(request, caller);
    } catch (error) {
      if (error instanceof AccessDenied) return service.denied(error.message);
      if (error instanceof ServiceError) return service.error(error);
      throw error;
    }
  }

  private anonymous(): Caller {
    return {
      roleLogicalId: '',
      roleArn: '',
      authorize: (request) => {
        throw new AccessDenied(`Anonymous access to ${request.resource} is not allowed`, request);
      },
    };
  }
}
