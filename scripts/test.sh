#!/usr/bin/env bash
# npm test: everything a change must pass. Installs what a fresh machine lacks (Chromium for
# the end-to-end tests), builds the web app, type-checks and lints, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-chromium.sh

echo "── build the web app"
npm run --silent build:web

echo "── type-check and lint"
npx tsc -p tsconfig.json
npm run --silent check -w web
npx biome check .

echo "── unit, integration, infrastructure and end-to-end tests"
mkdir -p test-results
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@" || status=$?
node scripts/test-summary.mjs test-results/vitest.json || true
exit "$status"
