import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { routes } from '@qingling/shared/api/routes.ts';
import { describe, expect, it } from 'vitest';
import {
  buildOpenApiDocument,
  committedDocument,
  servedDocument,
  servedDocumentModule,
  unversioned,
} from './document.ts';
import { gzippedDocument } from './served-document.ts';

describe('the OpenAPI document', () => {
  const document = buildOpenApiDocument(routes, 'test');

  it('is OpenAPI 3.1 and describes every route of the route table', () => {
    expect(document.openapi).toBe('3.1.0');
    for (const route of routes) {
      const operation = document.paths?.[route.path]?.[route.method.toLowerCase() as 'get'];
      expect(operation?.operationId, `${route.method} ${route.path}`).toBe(route.operationId);
    }
  });

  it.each(routes.map((route) => [route.operationId, route] as const))(
    '%s: its examples pass the schemas that validate real requests and replies',
    (_id, route) => {
      const request = 'request' in route ? route.request : undefined;
      if (request) expect(request.body.safeParse(request.example).success).toBe(true);
      expect(route.response.body.safeParse(route.response.example).success).toBe(true);
    },
  );

  it('marks signed-in routes with bearer security and documents 401/403', () => {
    const me = document.paths?.['/api/me']?.get;
    expect(me?.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(me?.responses ?? {})).toEqual(expect.arrayContaining(['401', '403']));
  });

  it('documents a file answered instead of JSON as binary of its media type', () => {
    const statistics = document.paths?.['/api/office/statistics']?.get?.responses?.['200'] as {
      content: Record<string, { schema: unknown }>;
    };
    expect(
      statistics.content['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ).toEqual({ schema: { type: 'string', format: 'binary' } });
  });

  it('is the document the function serves, openapi.json (else: node functions/src/openapi/write-document.ts)', () => {
    const served = JSON.parse(readFileSync(committedDocument, 'utf8'));
    const current = JSON.parse(JSON.stringify(buildOpenApiDocument(routes, unversioned)));
    expect(
      served,
      'openapi.json is stale: run node functions/src/openapi/write-document.ts',
    ).toEqual(current);
    // The function serves the gzipped copy: it holds the same document.
    expect(
      readFileSync(servedDocument, 'utf8'),
      'served-document.ts is stale: run node functions/src/openapi/write-document.ts',
    ).toBe(servedDocumentModule(JSON.stringify(current)));
    expect(JSON.parse(gunzipSync(Buffer.from(gzippedDocument, 'base64')).toString())).toEqual(
      current,
    );
  });
});
