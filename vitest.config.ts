import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// One runner, five kinds of test. `npm test` runs them all; `vitest run --project unit` one.
export default defineConfig({
  test: {
    // Two files at a time when run as `vitest run`: the suite waits on clocks, browsers and
    // sockets more than it computes. The e2e files stay one at a time (below), after the
    // rest: two browsers and two stacks at once made the e2e tests' waits flaky on CI.
    // `npm test` (scripts/test.sh) runs the e2e files beside the rest instead, one file at a
    // time each, in two runs.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
          // One module graph per worker, not per file: what a file stubs, overrides or sets
          // in the environment is put back when it ends (tests/support/shared-worker-cleanup.ts).
          isolate: false,
          setupFiles: ['tests/support/shared-worker-cleanup.ts'],
          include: [
            'shared/src/**/*.test.ts',
            'functions/src/**/*.test.ts',
            'infra/local/src/**/*.test.ts',
            'infra/harness/**/*.test.ts',
            'tests/arch/**/*.test.ts',
          ],
        },
      },
      {
        // The web app's state classes (`.svelte.ts`, runes compiled by the Svelte plugin),
        // without a browser: the rules of a page, tested beside the page.
        plugins: [svelte({ configFile: false })],
        test: {
          name: 'web',
          include: ['web/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['tests/infra/**/*.test.ts', 'tests/aws/**/*.test.ts'],
          // The files share their modules: the CDK library is loaded, and the default stack
          // synthesized (tests/infra/synth.ts), once per worker rather than once per file.
          isolate: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One browser at a time on a 2-core machine.
          fileParallelism: false,
          // expect.poll waits for a page to hydrate or answer: 1 s (the default) is short
          // when the other projects load both cores. Speed is the benchmarks' to measure.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
