import { fileURLToPath } from 'node:url';

/** The repository root, found from this file so that synth works from any directory. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Where each route's handler lives: functions/src/handlers/<route.handler>.ts. */
export const handlersDir = fileURLToPath(
  new URL('../../../functions/src/handlers/', import.meta.url),
);

/** The Cognito pre-token-generation trigger. */
export const preTokenGenerationEntry = fileURLToPath(
  new URL('../../../functions/src/cognito/pre-token-generation.ts', import.meta.url),
);
