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

/**
 * The functions allowed past the goal, each with why and a ceiling of its own (so that it
 * cannot grow unnoticed either). Nothing goes here without a reason a reviewer accepts.
 */
const overTheGoal: Record<string, { reason: string; maxBytes: number }> = {
  // The ledger export wrote its .xlsx with exceljs (~574 KiB, 600 KiB allowed) until it had
  // a writer of its own (shared/src/spreadsheets/xlsx-writer.ts).
};
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

  it('lets past the goal only functions that exist and are over it', () => {
    for (const entry of Object.keys(overTheGoal)) {
      expect(entries).toContain(entry);
      expect(bundles.get(entry)?.bytes, entry).toBeGreaterThan(bundleGoalBytes);
    }
  });

  it.each(entries)('%s is at most 150 KiB minified (or its own stated ceiling)', (entry) => {
    const bundle = bundles.get(entry);
    if (!bundle) throw new Error(`${entry} was not bundled`);
    const largest = Object.entries(bundle.bytesBySource)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([source, bytes]) => `${source} ${(bytes / 1024).toFixed(1)} KiB`)
      .join(', ');
    const limit = overTheGoal[entry]?.maxBytes ?? bundleGoalBytes;
    expect(bundle.bytes, `${entry}: ${largest}`).toBeLessThanOrEqual(limit);
  });
});
