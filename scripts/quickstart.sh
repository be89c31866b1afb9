#!/usr/bin/env bash
# Quick start: install everything, then migrate a 1M-row sample table from PostgreSQL to DuckDB.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install.sh
export SNOWFLAKE_DISABLE_PLATFORM_DETECTION=true SF_TELEMETRY_DISABLE_CONNECTION_SHAPE=1
pnpm dxa demo "$@"
