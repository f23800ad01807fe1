// Prints vitest's JSON result as the plain closing line CI reads: "N passed, N failed".
import { readFileSync } from 'node:fs';

const result = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const skipped = result.numPendingTests + result.numTodoTests;
console.log(
  `${result.numPassedTests} passed, ${result.numFailedTests} failed` +
    (skipped ? `, ${skipped} skipped` : ''),
);
