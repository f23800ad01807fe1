import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/embedded-cloud.ts';

// DESIGN.md: no Scan in any request path; lists answer from an index. The handlers and
// every adapter they can reach live under these folders.
const folders = ['functions/src', 'shared/src'];

function sourceFiles(folder: string): string[] {
  return readdirSync(join(repositoryRoot, folder), { recursive: true, withFileTypes: true })
    .filter(
      (entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'),
    )
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('request paths', () => {
  it('never scan a table', () => {
    const files = folders.flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(20);
    const scanning = files.filter((file) =>
      /\b(ScanCommand|ParallelScan|\.scan\()|['"]Scan['"]/.test(readFileSync(file, 'utf8')),
    );
    expect(scanning).toEqual([]);
  });
});
