import { routes } from '@qingling/shared/api/routes.ts';
import { dependencies } from '../dependencies.ts';
import { apiHandler } from '../http/api-handler.ts';
import { buildOpenApiDocument } from '../openapi/document.ts';

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

/** GET /api/openapi.json: built once per instance from the route table. */
export const handler = apiHandler('getOpenApi', async () => {
  document ??= buildOpenApiDocument(routes, dependencies.codeVersion());
  return { ...document };
});
