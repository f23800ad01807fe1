#!/usr/bin/env bash
# npm test: everything a change must pass. Installs what a fresh machine lacks (Chromium for
# the end-to-end tests), builds the web app, type-checks and lints, lints the CloudFormation
# templates (cfn-lint, when installed), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-chromium.sh

echo "── build the web app"
npm run --silent build:web

echo "── type-check and lint"
npx tsc -p tsconfig.json
npm run --silent check -w web
npx biome check .

echo "── lint the CloudFormation templates (global and China)"
# On errors the tests still run; npm test fails at the end.
lint_status=0
node scripts/lint-templates.ts || lint_status=$?

echo "── unit, integration, infrastructure and end-to-end tests"
mkdir -p test-results
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@" || status=$?
node scripts/test-summary.mjs test-results/vitest.json || true
if [ "$lint_status" -ne 0 ]; then
  echo "cfn-lint found errors in the CloudFormation templates (see the lint step above)"
  [ "$status" -ne 0 ] || status="$lint_status"
fi
exit "$status"
