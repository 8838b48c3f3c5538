# One image definition for every service; SERVICE_ENTRY picks which one runs.
# Kept to instructions the classic builder understands, because Debian's
# docker-compose (v1) builds without BuildKit.

# Only the npm manifests, so that the dependency layer below is rebuilt when a
# package.json or the lockfile changes and not on every source edit. Finding
# them (rather than listing each) keeps new workspaces working unattended.
FROM node:20-bookworm-slim AS manifests
WORKDIR /app
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json ! -name .npmrc -delete \
 && find . -depth -mindepth 1 -type d -empty -delete

FROM node:20-bookworm-slim AS deps
ENV TURBO_TELEMETRY_DISABLED=1 \
    APOLLO_TELEMETRY_DISABLED=true \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY --from=manifests /app ./
# Services run TypeScript through tsx, a devDependency, so dev packages stay.
RUN npm ci --include=dev --no-audit --no-fund \
 && npm cache clean --force

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    TURBO_TELEMETRY_DISABLED=1 \
    APOLLO_TELEMETRY_DISABLED=true \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
# Whole /app from deps, not just node_modules: npm may nest packages under a
# workspace's own node_modules, and the source copy below merges around them.
COPY --from=deps /app ./
COPY . .
# The web app's static build (web/dist), served by the `web` service.
RUN npm run web:build
# The code stays root-owned and read-only to the service; only the embedded
# database directory (used when DATABASE_URL is unset) must be writable.
RUN mkdir -p .data && chown node:node .data

# Last, so that every service shares all the layers above.
ARG SERVICE_ENTRY=gateway/src/index.ts
ENV SERVICE_ENTRY=${SERVICE_ENTRY}
RUN test -f "$SERVICE_ENTRY" || { echo "SERVICE_ENTRY not found: $SERVICE_ENTRY" >&2; exit 1; }

USER node
EXPOSE 3000 4000-4005
# exec so that tsx, not sh, receives SIGTERM and the service shuts down cleanly.
CMD ["sh", "-c", "exec node_modules/.bin/tsx \"$SERVICE_ENTRY\""]
