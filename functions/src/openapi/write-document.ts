import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { routes } from '@qingling/shared/api/routes.ts';
import {
  buildOpenApiDocument,
  committedDocument,
  servedDocument,
  servedDocumentModule,
  unversioned,
} from './document.ts';

/**
 * Writes functions/src/openapi/openapi.json, the document GET /api/openapi.json serves:
 * run `node functions/src/openapi/write-document.ts` after changing a route or a schema
 * (functions/src/openapi/document.test.ts fails until then). It is written here, not in the
 * function, because making it takes every schema of the API and zod's JSON Schema converter:
 * the function would bundle them all and be the largest of the API instead of one of the
 * smallest.
 */
const file = fileURLToPath(committedDocument);
const document = JSON.stringify(buildOpenApiDocument(routes, unversioned));
writeFileSync(file, `${document}\n`);
const biome = fileURLToPath(new URL('../../../node_modules/.bin/biome', import.meta.url));
execFileSync(biome, ['format', '--write', file], { stdio: 'ignore' });
console.log(`written to ${file}`);
// What the function bundles: the document gzipped (a fifth of its size: the function's
// bundle stays small however many routes the API has).
const served = fileURLToPath(servedDocument);
writeFileSync(served, servedDocumentModule(document));
console.log(`written to ${served}`);
