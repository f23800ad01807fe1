import type * as z from 'zod/mini';
import type { Role } from '../auth/principal.ts';
import type { Bilingual } from '../i18n/text.ts';

/**
 * The shape of a route. Each domain's route file (tips/routes.ts, hazards/routes.ts…)
 * imports it from here, and shared/src/api/routes.ts only puts the domains' tables
 * together: no route file imports the aggregate that imports it.
 */

/**
 * Resources beyond the table. evidenceUpload: sign upload forms for incoming/ photos;
 * evidenceRead: read stored tip photos; hazardEvidence: upload forms for and reads of a
 * hazard's own photos (never a tip's); receiptKey: the secret behind receipts and tip ids;
 * contactKey: encrypt a tipster's contact (at intake, at a claim); contactOpen: decrypt one
 * (a reward officer opening a claim's sealed bank details; logged on the tip); lifecycle:
 * wake or start a record's lifecycle execution (Step Functions); ledgerExportStart: record a
 * ledger export job (LEDGEREXPORT# partitions) and invoke its worker asynchronously, which
 * alone writes files under exports/; ledgerExportRead: sign a link to read such a file.
 */
export type Resource =
  | 'evidenceUpload'
  | 'evidenceRead'
  | 'hazardEvidence'
  | 'receiptKey'
  | 'contactKey'
  | 'contactOpen'
  | 'lifecycle'
  | 'ledgerExportStart'
  | 'ledgerExportRead';

export interface TableAccess {
  read: readonly string[];
  write?: readonly string[];
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The records a route may look up by id and hold to the caller's jurisdictions. */
export type RecordKind = 'tip' | 'hazard';

/**
 * The jurisdiction a signed-in route acts in, checked by the HTTP wrapper against the
 * caller's own (the token's claims) before the handler runs; everyone acts only within
 * their own jurisdictions.
 * - `path` / `query` / `body`: the field of that name holds the jurisdiction's code;
 *   another jurisdiction's (or none) is refused with 403.
 * - `record`: the path parameter `id` names a record of that kind; the wrapper loads it and
 *   hands it to the handler, or answers 404 when it is not of the caller's jurisdictions
 *   (as if unknown: no existence leak).
 * - `none`: the route acts in no one jurisdiction; `reason` says why.
 */
export type Scope =
  | { in: 'path' | 'query' | 'body'; field: string }
  | { in: 'record'; record: RecordKind; id: string }
  | { in: 'none'; reason: Bilingual };

/**
 * Who may call a route: anyone, or a signed-in person holding one of the roles, within
 * the jurisdiction its scope names. A signed-in route cannot leave its scope out.
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'signedIn'; roles: readonly Role[] | 'any'; scope: Scope };

/**
 * One API operation. The tables of these are the single source for the Lambda wiring in
 * CDK, the embedded cloud's router, the OpenAPI document, the authorization matrix and
 * its test.
 */
export interface RouteDefinition {
  operationId: string;
  method: HttpMethod;
  path: `/api/${string}`;
  /** File name (without .ts) under functions/src/handlers/. */
  handler: string;
  access: Access;
  summary: Bilingual;
  /** Path parameters ({name} in the path), validated, with an example for the docs. */
  pathParameters?: { schema: z.ZodMiniObject; example: Record<string, string> };
  /** Query string parameters, validated, with an example for the docs. */
  query?: { schema: z.ZodMiniObject; example: Record<string, string> };
  request?: { body: z.ZodMiniType; example: unknown };
  /** What the handler touches besides the table: CDK grants exactly these. */
  uses?: readonly Resource[];
  /**
   * The partition keys the handler may touch (IAM StringLike patterns of
   * `dynamodb:LeadingKeys`), read and written; no index. Every public route declares it, so
   * that an anonymous caller's function can reach nothing of the office, and so does every
   * office route that needs no index: CDK grants only these. Routes without it get the
   * table and its indexes (reads only when all are GET).
   */
  table?: TableAccess;
  response: {
    status: number;
    body: z.ZodMiniType;
    example: unknown;
    /** Media types the route may answer instead of JSON, as the file itself (format=xlsx). */
    files?: readonly string[];
  };
}
