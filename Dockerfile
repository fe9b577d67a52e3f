# baton collector: OTLP/HTTP on :4318 into ClickHouse. See docs/deploy.md.
#
#   docker build -t baton-collector .
#   docker run -e BATON_COLLECTOR_TOKEN=... -v baton-spool:/var/lib/baton/spool -p 4318:4318 baton-collector \
#     --clickhouse http://baton:secret@clickhouse:8123/baton
#
# Debian (glibc) base, not Alpine: chDB's native library is built for glibc.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Sources are not there yet, so `prepare` (tsc) must wait: skip scripts here.
RUN npm ci --ignore-scripts
COPY . .
RUN npm rebuild && npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
# The spool must outlive the container: mount a volume here (docker-compose.yml does).
RUN mkdir -p /var/lib/baton/spool /var/lib/baton/chdb && chown -R node:node /var/lib/baton
USER node
EXPOSE 4318
VOLUME ["/var/lib/baton/spool"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4318/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# A token is required off loopback: pass BATON_COLLECTOR_TOKEN.
ENTRYPOINT ["node", "dist/cli/entry.js", "collector", "--host", "0.0.0.0", "--port", "4318", "--spool", "/var/lib/baton/spool", "--data-dir", "/var/lib/baton/chdb"]
CMD []
