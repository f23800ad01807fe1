import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCircles, importGraph } from './import-circles.ts';

const sharedSource = fileURLToPath(new URL('..', import.meta.url));

describe('import circles', () => {
  it('finds a circle of two, and one of three, once each', () => {
    const graph = new Map([
      ['tips/tip.ts', ['tips/time-limits.ts', 'calendar/calendar.ts']],
      ['tips/time-limits.ts', ['tips/tip.ts']],
      ['calendar/calendar.ts', []],
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
    ]);
    expect(importCircles(graph)).toEqual([
      ['a.ts', 'b.ts', 'c.ts', 'a.ts'],
      ['tips/time-limits.ts', 'tips/tip.ts', 'tips/time-limits.ts'],
    ]);
  });

  it('finds none in a tree', () => {
    const graph = new Map([
      ['tips/tip.ts', ['tips/tip-state.ts', 'tips/tip-rules.ts']],
      ['tips/tip-rules.ts', ['tips/tip-state.ts', 'tips/time-limits.ts']],
      ['tips/time-limits.ts', ['tips/tip-state.ts']],
      ['tips/tip-state.ts', []],
    ]);
    expect(importCircles(graph)).toEqual([]);
  });

  it('reads type-only imports and re-exports as edges', () => {
    const graph = importGraph(sharedSource, (path) => path.startsWith('tips/'));
    expect(graph.get('tips/time-limits.ts')).toContain('tips/tip-state.ts');
    expect(graph.get('tips/tip.ts')).toContain('tips/tip-rules.ts');
  });

  // The route tables (*/routes.ts with api/routes.ts) are left to the change that unties them.
  it('shared/src has none outside the route tables', () => {
    const graph = importGraph(sharedSource, (path) => !path.endsWith('routes.ts'));
    expect(importCircles(graph)).toEqual([]);
  });
});
