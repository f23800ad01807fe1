import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { authorizationMatrixFile, renderAuthorizationMatrix } from './authorization-matrix.ts';
import { routes } from './routes.ts';

/**
 * Writes docs/authorization-matrix.md from the route table: run
 * `node shared/src/api/write-authorization-matrix.ts` after changing a route's roles or
 * scope (shared/src/api/authorization-matrix.test.ts fails until then).
 */
const file = fileURLToPath(authorizationMatrixFile);
writeFileSync(file, renderAuthorizationMatrix(routes));
console.log(`written to ${file}`);
