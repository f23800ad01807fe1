// Prints vitest's JSON result as the plain closing line CI reads: "N passed, N failed".
// A file that fails before its tests run (an import or a beforeAll) counts as failed too.
import { readFileSync } from 'node:fs';

const result = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const skipped = result.numPendingTests + result.numTodoTests;
const failedFiles = (result.testResults ?? []).filter(
  (file) =>
    file.status === 'failed' &&
    !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
).length;
console.log(
  `${result.numPassedTests} passed, ${result.numFailedTests + failedFiles} failed` +
    (skipped ? `, ${skipped} skipped` : '') +
    (failedFiles ? ` (${failedFiles} of them whole files that failed before their tests)` : ''),
);
