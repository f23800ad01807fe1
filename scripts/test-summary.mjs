// Prints vitest's JSON results (one file per run: npm test runs two at once) as the plain
// closing line CI reads: "N passed, N failed". A file that fails before its tests run (an
// import or a beforeAll) counts as failed too; a run that left no result counts as failed.
import { existsSync, readFileSync } from 'node:fs';

const totals = { passed: 0, failed: 0, skipped: 0, failedFiles: 0, missingRuns: [] };
for (const path of process.argv.slice(2)) {
  if (!existsSync(path)) {
    totals.missingRuns.push(path);
    continue;
  }
  const result = JSON.parse(readFileSync(path, 'utf8'));
  totals.passed += result.numPassedTests;
  totals.failed += result.numFailedTests;
  totals.skipped += result.numPendingTests + result.numTodoTests;
  totals.failedFiles += (result.testResults ?? []).filter(
    (file) =>
      file.status === 'failed' &&
      !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length;
}
const { passed, failed, skipped, failedFiles, missingRuns } = totals;
console.log(
  `${passed} passed, ${failed + failedFiles + missingRuns.length} failed` +
    (skipped ? `, ${skipped} skipped` : '') +
    (failedFiles ? ` (${failedFiles} of them whole files that failed before their tests)` : '') +
    (missingRuns.length
      ? ` (no result from ${missingRuns.join(', ')}: the run itself failed)`
      : ''),
);
