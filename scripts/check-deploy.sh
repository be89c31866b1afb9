#!/usr/bin/env bash
# Validates the deployment files without a Docker engine: compose file, shell scripts, Helm chart (when helm exists).
set -euo pipefail
cd "$(dirname "$0")/.."

# scripts/install.sh installs both (Debian packages).
for tool in docker-compose shellcheck; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "check-deploy: $tool is missing; run scripts/install.sh" >&2
    exit 1
  }
done

# The gateway refuses to start without DXA_API_KEY; any value is enough to check the file.
echo "check-deploy: docker-compose config -q"
DXA_API_KEY=check-deploy-placeholder docker-compose -f docker-compose.yml config -q

echo "check-deploy: shellcheck"
# Warnings and errors fail the check; style/info notes (e.g. SC2012) are left to review.
shellcheck --severity=warning scripts/*.sh .ci/run

if command -v helm >/dev/null 2>&1 && [ -d helm/dxa ]; then
  echo "check-deploy: helm lint / helm template"
  helm lint helm/dxa
  helm template dxa helm/dxa >/dev/null
  for values in helm/ci/*.yaml; do
    helm lint helm/dxa -f "$values"
    helm template dxa helm/dxa -f "$values" >/dev/null
  done
else
  echo "check-deploy: helm or helm/dxa not found; skipping the chart"
fi
echo "check-deploy: ok"
