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
# Two lanes at once, one file at a time each. One runs the end-to-end tests (a browser and
# a stack, waiting on pages more than computing: about 0.7 of a core), then the
# infrastructure tests; the other runs the unit and integration tests. One after the other
# they took 40 minutes on a 2-core machine (bench/README.md, session 19). The first lane's
# output is printed when it is done (test-results/e2e-infra.log meanwhile).
mkdir -p test-results
results=(test-results/vitest.json test-results/vitest-e2e.json test-results/vitest-infra.json)
rm -f "${results[@]}" test-results/e2e-infra.log
run() { # a vitest run of some projects, one file at a time; its JSON result to $1
  local json=$1
  shift
  npx vitest run --maxWorkers=1 --passWithNoTests --reporter=default --reporter=json \
    --outputFile.json="$json" "$@"
}
status=0
lane_status=0
echo "   (the end-to-end, then the infrastructure tests run beside these; their output follows)"
(
  e2e=0
  run test-results/vitest-e2e.json --project e2e "$@" || e2e=$?
  [ "$e2e" -lt 128 ] || exit "$e2e" # stopped by a signal (Ctrl-C): no infra run after it
  run test-results/vitest-infra.json --project infra "$@" || exit $?
  exit "$e2e"
) > test-results/e2e-infra.log 2>&1 &
lane=$!
# A script's background lane ignores Ctrl-C (its vitest does not, and stops): the lane stops
# with the script, and starts nothing more.
trap 'kill "$lane" 2>/dev/null; exit 130' INT TERM
run test-results/vitest.json --project unit --project web --project integration "$@" || status=$?
wait "$lane" || lane_status=$?
echo "── end-to-end, then infrastructure tests (run beside the others)"
cat test-results/e2e-infra.log
[ "$status" -ne 0 ] || status="$lane_status"
node scripts/test-summary.mjs "${results[@]}" || true
if [ "$lint_status" -ne 0 ]; then
  echo "cfn-lint found errors in the CloudFormation templates (see the lint step above)"
  [ "$status" -ne 0 ] || status="$lint_status"
fi
exit "$status"
