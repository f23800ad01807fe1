import { gzipSync } from 'node:zlib';
import { apiErrorSchema, errorCatalog } from '@qingling/shared/api/errors.ts';
import type { RouteDefinition } from '@qingling/shared/api/routes.ts';
import { createDocument, type ZodOpenApiPathsObject } from 'zod-openapi';

/**
 * The document the function serves: written by write-document.ts from this module, with
 * `unversioned` for the version, which the function replaces with the deployment's.
 */
export const committedDocument = new URL('./openapi.json', import.meta.url);

/** The module the function bundles: the document, gzipped, as base64 (write-document.ts). */
export const servedDocument = new URL('./served-document.ts', import.meta.url);

/** That module's text for a document (JSON text): byte for byte the same for the same one. */
export function servedDocumentModule(document: string): string {
  const gzipped = gzipSync(Buffer.from(document), { level: 9 }).toString('base64');
  return (
    '// Written by functions/src/openapi/write-document.ts: openapi.json, gzipped (base64).\n' +
    `export const gzippedDocument =\n  '${gzipped}';\n`
  );
}
export const unversioned = 'unversioned';

/** The OpenAPI 3.1 document, generated from the same route table and schemas that validate. */
export function buildOpenApiDocument(routes: readonly RouteDefinition[], version: string) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    const errorExample = (code: keyof typeof errorCatalog) => ({
      error: { code, message: errorCatalog[code].message },
    });
    const errorResponse = (code: keyof typeof errorCatalog) => ({
      description: `${errorCatalog[code].message.en} ${errorCatalog[code].message.zh}`,
      content: {
        'application/json': { schema: apiErrorSchema, example: errorExample(code) },
      },
    });
    const responses: Record<string, unknown> = {
      [String(route.response.status)]: {
        description: `${route.summary.en} (${route.summary.zh})`,
        content: {
          'application/json': { schema: route.response.body, example: route.response.example },
          // A file answered as itself (Content-Disposition: attachment).
          ...Object.fromEntries(
            (route.response.files ?? []).map((type) => [
              type,
              { schema: { type: 'string', format: 'binary' } },
            ]),
          ),
        },
      },
      '500': errorResponse('internal'),
    };
    if (route.request) responses['400'] = errorResponse('invalid_request');
    if (route.access.kind === 'signedIn') {
      responses['401'] = errorResponse('unauthenticated');
      responses['403'] = errorResponse('forbidden');
    }
    const method = route.method.toLowerCase() as 'get';
    paths[route.path] = {
      ...paths[route.path],
      [method]: {
        operationId: route.operationId,
        summary: `${route.summary.zh} / ${route.summary.en}`,
        ...(route.access.kind === 'signedIn' ? { security: [{ bearer: [] }] } : {}),
        ...(route.pathParameters || route.query
          ? {
              requestParams: {
                ...(route.pathParameters ? { path: route.pathParameters.schema } : {}),
                ...(route.query ? { query: route.query.schema } : {}),
              },
            }
          : {}),
        ...(route.request
          ? {
              requestBody: {
                required: true,
                content: {
                  'application/json': {
                    schema: route.request.body,
                    example: route.request.example,
                  },
                },
              },
            }
          : {}),
        responses,
      },
    } as ZodOpenApiPathsObject[string];
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: '清零 Qingling API',
      version,
      description:
        '安全隐患匿名举报与闭环治理接口。Anonymous hazard tips and hazard lifecycle API. ' +
        'Errors carry a code and a message in zh-CN and English.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    paths,
  });
}
