import * as dependencies from '../dependencies.ts';
import { json } from '../http/json.ts';
import document from '../openapi/openapi.json' with { type: 'json' };

/**
 * GET /api/openapi.json: the document written from the route table and its schemas
 * (functions/src/openapi/write-document.ts; a test holds it to them), with this
 * deployment's version. A public GET of a fixed document, it needs nothing of the API
 * wrapper: no caller, no body, nothing that can fail.
 */
export const handler = async () =>
  json(200, { ...document, info: { ...document.info, version: dependencies.codeVersion() } });
