# syntax=docker/dockerfile:1
# dxa image: `docker run IMAGE gateway|worker|agent|submit|status …`.
# Build: docker build -t dxa .   (no secrets are baked in; pass them as environment variables at run time)

ARG NODE_IMAGE=node:22.21.1-bookworm-slim
ARG PNPM_VERSION=10.34.9

# --- build: install the workspace from the lockfile, then carve out the CLI with production deps only.
FROM ${NODE_IMAGE} AS build
ARG PNPM_VERSION
ENV CI=true \
    SNOWFLAKE_DISABLE_PLATFORM_DETECTION=true \
    SF_TELEMETRY_DISABLE_CONNECTION_SHAPE=1
RUN npm install --global "pnpm@${PNPM_VERSION}" && npm cache clean --force
WORKDIR /src
# Lockfile first so `pnpm fetch` stays cached until dependencies change.
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json .npmrc ./
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile
# Injected workspace packages let `pnpm deploy` use the shared lockfile (pnpm 10) instead of re-resolving.
RUN pnpm --config.inject-workspace-packages=true --filter data-exchange-agent \
      deploy --prod --offline /out \
 && rm -f /out/pnpm-lock.yaml

# --- runtime: production dependencies and sources only; the CLI runs TypeScript through tsx (a prod dep).
FROM ${NODE_IMAGE} AS runtime
# DXA_HOST: listen on all interfaces (the gateway still falls back to loopback unless DXA_API_KEY is set).
ENV NODE_ENV=production \
    SNOWFLAKE_DISABLE_PLATFORM_DETECTION=true \
    SF_TELEMETRY_DISABLE_CONNECTION_SHAPE=1 \
    SNOWFLAKE_DISABLE_MINICORE=1 \
    DXA_WORK_DIR=/app/.dxa/work \
    DXA_HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=root:root /out/ /app/
# The image's `node` user (uid 1000) owns only the scratch and stage space.
RUN mkdir -p /app/.dxa/work /app/.dxa/stage && chown -R node:node /app/.dxa
USER node
EXPOSE 8080
# No image HEALTHCHECK: gateway and worker serve health on different ports; compose/Helm/SPCS probe /healthz.
ENTRYPOINT ["node", "/app/bin/dxa.js"]
CMD ["--help"]
