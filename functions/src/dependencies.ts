import * as composition from './composition.ts';

/**
 * The adapters the functions use, one per port. The embedded cloud, which runs the same
 * handlers in its own process, puts its local adapters in with `useDependencies` before
 * the first request; on AWS each is built from the environment CDK sets
 * (./composition.ts).
 *
 * Code that runs in a Lambda function imports this module as a namespace,
 * `import * as dependencies from '../dependencies.ts'`, and calls `dependencies.clock()`:
 * esbuild then bundles only the adapters the function names, not all of them (each
 * bundle's size is tested: tests/infra/handler-bundles.test.ts). `import { dependencies }`
 * gives tests and scripts the same ports as one object, and bundles every adapter.
 */
export * from './composition.ts';
export { composition as dependencies };
