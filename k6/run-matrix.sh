#!/usr/bin/env bash
# Runs the k6 load matrix (every distribution x VU level x duration, or a subset) against a
# target and builds the report. Needs a k6 binary (https://grafana.com/docs/k6/latest/set-up/).
# Usage: BASE_URL=http://api.example:3000 API_KEY=... k6/run-matrix.sh [workload...]
#   PROFILES="normal-50vu-5m poisson-500vu-10m"  subset of profiles (default: the 36 of the matrix)
#   OUT=test-artifacts/k6                          where results and the report go
set -euo pipefail
if [[ "${1:-}" == "--help" ]]; then sed -n 2,7p "$0"; exit 0; fi
cd "$(dirname "$0")/.."
: "${BASE_URL:?set BASE_URL to the api under test}"
OUT=${OUT:-test-artifacts/k6}
workloads=("${@:-readings-post readings-get readings-aggregate devices-crud iot-list iot-create}")
read -r -a workloads <<< "${workloads[*]}"
PROFILES=${PROFILES:-$(node tools/run-ts.mjs tools/loadgen/src/cli/profiles.ts)}
mkdir -p "$OUT"
npx nx run k6:build
status=0
for w in "${workloads[@]}"; do
  for p in $PROFILES; do
    echo "== $w $p"
    k6 run --quiet -e BASE_URL="$BASE_URL" -e API_KEY="${API_KEY:-}" -e PROFILE="$p" \
      --out json="$OUT/k6__${w}__${p}.json" --summary-export="$OUT/k6__${w}__${p}.summary.json" \
      "k6/dist/$w.js" || status=$?
  done
done
node tools/run-ts.mjs tools/loadgen/src/cli/report.ts --out "$OUT" --title "k6 load matrix" ${BASELINE:+--baseline "$BASELINE"} "$OUT"
exit $status
