import { gunzipSync } from 'node:zlib';
import * as dependencies from '../dependencies.ts';
import { json } from '../http/json.ts';
import { gzippedDocument } from '../openapi/served-document.ts';

/** openapi.json, unzipped once per instance (a millisecond or so). */
const document = JSON.parse(gunzipSync(Buffer.from(gzippedDocument, 'base64')).toString()) as {
  info: Record<string, unknown>;
};

/**
 * GET /api/openapi.json: the document written from the route table and its schemas
 * (functions/src/openapi/write-document.ts; a test holds it to them), with this
 * deployment's version. A public GET of a fixed document, it needs nothing of the API
 * wrapper: no caller, no body, nothing that can fail.
 */
export const handler = async () =>
  json(200, { ...document, info: { ...document.info, version: dependencies.codeVersion() } });
