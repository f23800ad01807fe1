import { routes } from '@qingling/shared/api/routes.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bundleAll,
  bundleGoalBytes,
  type HandlerBundle,
  lambdaEntries,
} from '../../bench/handler-bundles.ts';

// Cold starts grow with bundle size: every Lambda function ships only what it uses. Each is
// bundled as CDK bundles it (the function the bench's handlerBundles entry measures); a
// function over the goal names what fills it, per package or folder.
const entries = await lambdaEntries();
let bundles: Map<string, HandlerBundle>;

beforeAll(async () => {
  bundles = new Map((await bundleAll(entries)).map((bundle) => [bundle.entry, bundle]));
});

describe('Lambda bundles', () => {
  it('are found for every handler of the route table, and for the other functions', () => {
    for (const route of routes) {
      expect(entries).toContain(`functions/src/handlers/${route.handler}.ts`);
    }
    expect(entries).toEqual(
      expect.arrayContaining([
        'functions/src/cognito/pre-token-generation.ts',
        'functions/src/events/process-photo.ts',
        'functions/src/events/deliver-notification.ts',
        'functions/src/workflow/plan.ts',
      ]),
    );
  });

  it.each(entries)('%s is at most 150 KiB minified', (entry) => {
    const bundle = bundles.get(entry);
    if (!bundle) throw new Error(`${entry} was not bundled`);
    const largest = Object.entries(bundle.bytesBySource)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([source, bytes]) => `${source} ${(bytes / 1024).toFixed(1)} KiB`)
      .join(', ');
    expect(bundle.bytes, `${entry}: ${largest}`).toBeLessThanOrEqual(bundleGoalBytes);
  });
});
