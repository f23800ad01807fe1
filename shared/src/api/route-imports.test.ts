import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The route table is put together without an import circle: each domain's route file takes
 * the route types from route-definition.ts, and only api/routes.ts imports the domains'
 * tables. Type-only imports count: a circle of types is a circle all the same.
 */
const sharedSource = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const routeFiles = new Set([
  join(sharedSource, 'api/routes.ts'),
  join(sharedSource, 'api/core-routes.ts'),
  join(sharedSource, 'api/route-definition.ts'),
  ...readdirSync(sharedSource, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(sharedSource, entry.name, 'routes.ts'))
    .filter((file) => {
      try {
        readFileSync(file);
        return true;
      } catch {
        return false;
      }
    }),
]);

/** The files of this package a file imports (relative `.ts` specifiers, types included). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = new Set<string>();
  for (const match of text.matchAll(/(?:import|export)[^'"]*?from\s+'(\.{1,2}\/[^']+\.ts)'/g)) {
    if (match[1]) found.add(resolve(dirname(file), match[1]));
  }
  return [...found];
}

/** A path of imports from `start` back to itself, if there is one. */
function circleThrough(start: string): string[] | undefined {
  const seen = new Set<string>();
  const walk = (file: string, path: string[]): string[] | undefined => {
    for (const next of importsOf(file)) {
      if (next === start) return [...path, next];
      if (seen.has(next)) continue;
      seen.add(next);
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(start, [start]);
}

describe('the route files', () => {
  it('are found: the aggregate, the definitions and every domain’s', () => {
    expect(routeFiles.size).toBeGreaterThan(5);
  });

  it.each([...routeFiles].map((file) => [relative(sharedSource, file), file]))(
    '%s is on no import circle',
    (_name, file) => {
      const circle = circleThrough(file);
      expect(circle?.map((each) => relative(sharedSource, each)).join(' → ')).toBeUndefined();
    },
  );
});
