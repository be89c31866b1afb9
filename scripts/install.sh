#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian machine with Node 20 or 22.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=10.34.9
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  npm install --global "pnpm@$PNPM_VERSION"
fi
pnpm install --frozen-lockfile
./scripts/ensure-services.sh
