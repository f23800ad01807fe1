import { createRequire } from 'node:module';
import { afterAll } from 'vitest';

/**
 * The unit files share one module graph per worker (`isolate: false` in vitest.config.ts).
 * What a file changes outside its own module is put back when the file ends, so that no
 * file sees another's:
 * - the SDK clients' `send` stubs of aws-sdk-client-mock, which stubs a class's prototype
 *   through sinon's default sandbox. That is the sandbox of the CommonJS sinon the mock
 *   requires (Node loads the mock's CommonJS build), so it is reached the same way here;
 * - the environment, as it was when the file began.
 * (The files that replace ports with `useDependencies` reset them after each test.)
 */
const sinon = createRequire(import.meta.url)('sinon') as { restore(): void };
const environment = { ...process.env };

afterAll(() => {
  sinon.restore();
  for (const name of Object.keys(process.env)) {
    if (!(name in environment)) delete process.env[name];
  }
  Object.assign(process.env, environment);
});
