/** A directed graph of modules: each file and the files it imports. */
export type ImportGraph = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Every circle of the graph, one per tangle (a strongly connected component, Tarjan's
 * algorithm): the files caught in it, sorted, and the shortest circle through the first of
 * them, which starts and ends with it. A file that imports itself is a circle of one.
 */
export function importCycles(graph: ImportGraph): { files: string[]; circle: string[] }[] {
  const order = new Map<string, number>();
  const lowest = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const tangles: string[][] = [];
  const visit = (file: string) => {
    order.set(file, order.size);
    lowest.set(file, order.get(file) ?? 0);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!order.has(next)) {
        visit(next);
        lowest.set(file, Math.min(lowest.get(file) ?? 0, lowest.get(next) ?? 0));
      } else if (onStack.has(next)) {
        lowest.set(file, Math.min(lowest.get(file) ?? 0, order.get(next) ?? 0));
      }
    }
    if (lowest.get(file) !== order.get(file)) return;
    const tangle: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      tangle.push(member);
    } while (member !== file);
    if (tangle.length > 1 || graph.get(file)?.has(file)) tangles.push(tangle.sort());
  };
  for (const file of [...graph.keys()].sort()) if (!order.has(file)) visit(file);
  return tangles
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])))
    .map((files) => ({ files, circle: shortestCircle(graph, files) }));
}

/** The shortest way from the tangle's first file back to it, within the tangle. */
function shortestCircle(graph: ImportGraph, files: readonly string[]): string[] {
  const [start] = files;
  if (start === undefined) return [];
  const inside = new Set(files);
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let at = 0; at < queue.length; at += 1) {
    const file = queue[at] as string;
    for (const next of graph.get(file) ?? []) {
      if (next === start) {
        const path = [file];
        for (let back = cameFrom.get(file); back !== undefined; back = cameFrom.get(back)) {
          path.unshift(back);
        }
        return [...path, start];
      }
      if (inside.has(next) && !cameFrom.has(next) && next !== start) {
        cameFrom.set(next, file);
        queue.push(next);
      }
    }
  }
  return [start];
}
