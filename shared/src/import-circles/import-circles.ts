import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The import graph of a source tree, read from its files' import and export-from lines
 * (type-only ones included: a circle of types is still a circle), and the circles in it.
 */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g;

export function importGraph(root: string, keep: (path: string) => boolean = () => true) {
  const graph = new Map<string, string[]>();
  const visit = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const name = relative(root, path);
        if (!keep(name)) continue;
        const text = readFileSync(path, 'utf8');
        const targets = [...text.matchAll(importPattern)].map((match) =>
          relative(root, resolve(dirname(path), match[1] ?? '')),
        );
        graph.set(name, targets.filter(keep));
      }
    }
  };
  visit(root);
  return graph as ImportGraph;
}

/**
 * Circles, each as the path of modules that leads back to its first: at least one through
 * every tangle (a module found in a circle is not walked twice), so none means none.
 */
export function importCircles(graph: ImportGraph): string[][] {
  const circles: string[][] = [];
  const seen = new Set<string>();
  const done = new Set<string>();
  const walk = (module: string, path: string[]) => {
    const at = path.indexOf(module);
    if (at >= 0) {
      const circle = path.slice(at);
      const key = [...circle].sort().join(' ');
      if (!seen.has(key)) {
        seen.add(key);
        circles.push([...circle, module]);
      }
      return;
    }
    if (done.has(module)) return;
    for (const next of graph.get(module) ?? []) walk(next, [...path, module]);
    done.add(module);
  };
  for (const module of [...graph.keys()].sort()) walk(module, []);
  return circles;
}
