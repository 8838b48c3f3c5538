# One image definition for every service; SERVICE_ENTRY picks which one runs.
# Services run as JavaScript bundled at build time (scripts/bundle.mjs), on the
# production dependencies only: no TypeScript, tsx or test tooling in the image.
# Kept to instructions the classic builder understands, because Debian's
# docker-compose (v1) builds without BuildKit.

# Only the npm manifests, so that the dependency layers below are rebuilt when a
# package.json or the lockfile changes and not on every source edit. Finding
# them (rather than listing each) keeps new workspaces working unattended.
FROM node:20-bookworm-slim AS manifests
WORKDIR /app
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json ! -name .npmrc -delete \
 && find . -depth -mindepth 1 -type d -empty -delete

# Everything, dev dependencies included, to bundle each service.
FROM node:20-bookworm-slim AS build
ENV TURBO_TELEMETRY_DISABLED=1 \
    APOLLO_TELEMETRY_DISABLED=true \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY --from=manifests /app ./
RUN npm ci --include=dev --no-audit --no-fund
COPY . .
# Each service's dist/index.js (the web app's static files in web/dist, and its
# server in dist/index.js at the root), then only what the services read at run
# time: the bundles, each subgraph's schema.graphql (read beside dist/), the
# composed supergraph and the gateway's client configuration with its manifests.
RUN npm run build --workspaces --if-present \
 && node scripts/bundle.mjs scripts/serve-web.ts \
 && mkdir /release \
 && find . -path '*/node_modules' -prune -o -type f \( \
      -path './dist/*' -o -path './*/dist/*' -o -path './*/*/dist/*' -o -path './subgraphs/*/schema.graphql' \
      -o -path './schema/*' -o -path './gateway/clients/*' \) -print \
    | tar -cf - -T - | tar -xf - -C /release

# Production dependencies only, laid out as the lockfile says (a bundle may
# require a package nested under a workspace, by relative path).
FROM node:20-bookworm-slim AS production-deps
ENV NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY --from=manifests /app ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    APOLLO_TELEMETRY_DISABLED=true \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY --from=production-deps /app ./
COPY --from=build /release ./
# The code stays root-owned and read-only to the service; only the embedded
# database directory (used when DATABASE_URL is unset) must be writable.
RUN mkdir -p .data && chown node:node .data

# Last, so that every service shares all the layers above.
ARG SERVICE_ENTRY=gateway/dist/index.js
ENV SERVICE_ENTRY=${SERVICE_ENTRY}
RUN test -f "$SERVICE_ENTRY" || { echo "SERVICE_ENTRY not found: $SERVICE_ENTRY" >&2; exit 1; }

USER node
EXPOSE 3000 4000-4005
# exec so that node, not sh, receives SIGTERM and the service shuts down cleanly.
CMD ["sh", "-c", "exec node --enable-source-maps \"$SERVICE_ENTRY\""]
