import { describe, expect, it } from 'vitest';
import { type ImportGraph, importCycles } from './cycles.ts';
import { type Import, importsOf, sourceFiles } from './imports.ts';

// No import circles among the backend's modules (the domain, the functions, the embedded
// cloud), type-only imports included: a circle makes load order matter and the layers blur.

/**
 * Imports that close a circle known today, left out of the graph so that every other
 * circle still fails. Each goes when its circle is undone: delete the entry then.
 */
const knownCircles: { from: RegExp; to: string }[] = [];

/** The graph of these files' imports of each other, less the imports the list names. */
function graphOf(
  files: readonly string[],
  imports: readonly Import[],
  leftOut: readonly { from: RegExp; to: string }[] = knownCircles,
): ImportGraph {
  const known = (i: Import) => leftOut.some(({ from, to }) => from.test(i.from) && i.target === to);
  const graph = new Map(files.map((file) => [file, new Set<string>()]));
  for (const i of imports) {
    if (i.target !== undefined && graph.has(i.target) && !known(i))
      graph.get(i.from)?.add(i.target);
  }
  return graph;
}

const describeCircles = (circles: ReturnType<typeof importCycles>) =>
  circles.map(({ files, circle }) => `${circle.join(' → ')}; tangled: ${files.join(', ')}`);

describe('import circles', () => {
  it('are none among shared/src, functions/src and infra/local/src, but those known', () => {
    const files = sourceFiles('shared/src', 'functions/src', 'infra/local/src');
    const circles = importCycles(graphOf(files, importsOf(files)));
    expect(describeCircles(circles), 'import circles (one line per tangle)').toEqual([]);
  });

  it('are each found, and named by their files', () => {
    const graph: ImportGraph = new Map([
      ['a.ts', new Set(['b.ts'])],
      ['b.ts', new Set(['c.ts', 'd.ts'])],
      ['c.ts', new Set(['a.ts'])],
      ['d.ts', new Set<string>()],
      ['e.ts', new Set(['e.ts'])],
      ['f.ts', new Set(['g.ts'])],
      ['g.ts', new Set(['f.ts', 'd.ts'])],
    ]);
    expect(describeCircles(importCycles(graph))).toEqual([
      'a.ts → b.ts → c.ts → a.ts; tangled: a.ts, b.ts, c.ts',
      'e.ts → e.ts; tangled: e.ts',
      'f.ts → g.ts → f.ts; tangled: f.ts, g.ts',
    ]);
  });

  it('are left out only for the imports the list of known circles names', () => {
    const at = (from: string, target: string): Import => ({ from, specifier: target, target });
    const files = ['shared/src/api/routes.ts', 'shared/src/tips/routes.ts', 'shared/src/x.ts'];
    const imports = [
      at('shared/src/api/routes.ts', 'shared/src/tips/routes.ts'),
      at('shared/src/tips/routes.ts', 'shared/src/api/routes.ts'),
      at('shared/src/api/routes.ts', 'shared/src/x.ts'),
      at('shared/src/x.ts', 'shared/src/api/routes.ts'),
    ];
    const leftOut = [{ from: /^shared\/src\/[^/]+\/routes\.ts$/, to: 'shared/src/api/routes.ts' }];
    expect(describeCircles(importCycles(graphOf(files, imports, leftOut)))).toEqual([
      'shared/src/api/routes.ts → shared/src/x.ts → shared/src/api/routes.ts; tangled: shared/src/api/routes.ts, shared/src/x.ts',
    ]);
  });
});
