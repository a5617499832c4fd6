# One recipe for both apps: docker build --build-arg APP=stateful (or stateless) .
# Stage 1 builds the whole workspace with pnpm; stage 2 holds only what one app needs at run time
# (`pnpm deploy`: its dist/, the bundled server among it, and production dependencies), and runs it
# as an unprivileged user, who may write V8's code cache in dist/.cache.
# The newest LTS line CI tests (.ci/node-lines), at an exact version so that an image built later
# is the same image.
ARG NODE_VERSION=26.9.0
# Both stages' base: the official Node image by default. Any image with that Node, npm and a
# `node` user will do: --build-arg BASE_IMAGE=… builds the same recipe on one made locally
# (docs/deployment.md).
ARG BASE_IMAGE=node:${NODE_VERSION}-trixie-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /repo
# pnpm at the version package.json pins (packageManager, with its hash), through corepack, which
# Node no longer ships from 25 on.
RUN npm install --global corepack@0.36.0 && corepack enable
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json tsconfig.build.json ./
COPY packages ./packages
COPY apps ./apps
COPY tools ./tools
COPY scripts/build.mjs scripts/own-source-map.mjs scripts/server-launcher.cjs scripts/tsc.mjs ./scripts/
RUN pnpm install --frozen-lockfile
ARG APP=stateless
# Compiled, then bundled into one file that starts fast (scripts/build.mjs; docs/costs.md, "Start-up").
RUN node scripts/build.mjs "${APP}"
RUN pnpm --filter "@cart/${APP}" deploy --prod --legacy /out

FROM ${BASE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /out ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=5s --timeout=2s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1: the app handles SIGTERM itself (finishes in-flight requests, exits within 5 s).
STOPSIGNAL SIGTERM
CMD ["node", "dist/server.js"]
