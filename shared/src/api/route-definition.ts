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
 * alone writes files under exports/; ledgerExportRead: sign a link to read such a file;
 * userDirectory: list, add and edit office users in the user pool (or external: none).
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
  | 'ledgerExportRead'
  | 'userDirectory';

/** The table's global secondary indexes (infra/table-design.ts; a test keeps them equal). */
export type IndexName = 'gsi1' | 'gsi2' | 'gsi3' | 'gsi4' | 'gsi5' | 'gsi6' | 'gsi7' | 'gsi8';

/**
 * A route's table access: partition-key patterns (IAM StringLike, `*` any run of
 * characters) of `dynamodb:LeadingKeys`. `read`: items it gets or queries; `write`: items
 * it puts or updates (and reads); `indexes`: the index partitions it queries, by the
 * index's own partition key (gsi1pk…). Nothing else: no other partition, no other index.
 */
export interface TableAccess {
  read: readonly string[];
  write?: readonly string[];
  indexes?: Readonly<Partial<Record<IndexName, readonly string[]>>>;
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
   * The partitions of the table and of its indexes the handler touches, the narrowest its
   * handler needs (found by running it: the template harness enforces them). CDK grants
   * exactly these, by `dynamodb:LeadingKeys`, and no route gets the whole table: an
   * anonymous caller's function reaches nothing of the office, and an office function only
   * the partitions of its own work. Writes only where the handler writes.
   */
  table: TableAccess;
  response: {
    status: number;
    body: z.ZodMiniType;
    example: unknown;
    /** Media types the route may answer instead of JSON, as the file itself (format=xlsx). */
    files?: readonly string[];
  };
}
