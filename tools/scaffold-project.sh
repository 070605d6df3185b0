#!/usr/bin/env bash
# Writes project.json, tsconfig.json and jest configs for a new Nx project.
# Usage: tools/scaffold-project.sh <apps|libs>/<name> <scope> <type> [--integration]
set -euo pipefail
if [[ $# -lt 3 || "$1" == "--help" ]]; then
  echo "usage: $0 <apps|libs>/<name> <scope:edge|api|alerting|shared> <type:app|feature|data-access|domain|util> [--integration]"; exit 1
fi
dir=$1; scope=$2; type=$3; integration=${4:-}
name=$(basename "$dir")
kind=$([[ $dir == apps/* ]] && echo application || echo library)
mkdir -p "$dir/src"
test_cmd="jest -c $dir/jest.config.cjs --passWithNoTests"
if [[ $integration == --integration ]]; then
  cat > "$dir/jest.integration.cjs" <<JS
module.exports = require('../../jest.preset.cjs').tier(__dirname, 'integration');
JS
  extra=",
    \"integration\": { \"executor\": \"nx:run-commands\", \"options\": { \"command\": \"jest -c $dir/jest.integration.cjs\" } }"
  test_cmd="$test_cmd && jest -c $dir/jest.integration.cjs --passWithNoTests"
else extra=""; fi
cat > "$dir/jest.config.cjs" <<JS
module.exports = require('../../jest.preset.cjs').tier(__dirname, 'unit');
JS
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "noEmit": true, "types": ["node", "jest"] },
  "include": ["src/**/*.ts"]
}
JSON
cat > "$dir/project.json" <<JSON
{
  "name": "$name",
  "\$schema": "../../node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$dir/src",
  "projectType": "$kind",
  "tags": ["scope:$scope", "type:$type"],
  "targets": {
    "build": { "executor": "nx:run-commands", "options": { "command": "tsc -p $dir/tsconfig.json" } },
    "lint": { "executor": "nx:run-commands", "options": { "command": "eslint --max-warnings 0 $dir" } },
    "test": { "executor": "nx:run-commands", "options": { "command": "$test_cmd" } },
    "unit": { "executor": "nx:run-commands", "options": { "command": "jest -c $dir/jest.config.cjs" } }$extra
  }
}
JSON
echo "scaffolded $dir ($scope/$type)"
