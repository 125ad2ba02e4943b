# Glose: one process serving the web and running the delivery queue (ROLE=all by default).
# The base image's Node 24 runs the TypeScript sources directly; there is no build step.
FROM node:24-bookworm-slim

WORKDIR /app

# Runtime dependencies only: the `node` and `typescript` devDependencies are for development
# machines (the image already has Node 24, and type checking happens in CI).
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY src ./src
COPY db ./db

# Memory settings: the same as `npm start` (see "Memory" in the README).
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000 \
    MALLOC_TRIM_THRESHOLD_=1048576

# The embedded database (used when DATABASE_URL is unset) lives here.
RUN mkdir -p /data && chown node:node /data
VOLUME /data

EXPOSE 3000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

USER node

# Not `npm start`: node as PID 1 receives SIGTERM directly and shuts down gracefully. Its V8
# heap limits are `npm start`'s.
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=1024", "src/main.ts"]
