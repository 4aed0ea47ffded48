# Crosscheck container image (docs/install.md, "Container"). Not built or run on the project's
# CI machines (no Docker engine there); a test checks that what it copies exists.
#
#   docker build -t crosscheck .
#   docker run -d --name crosscheck -p 127.0.0.1:7434:7434 -v crosscheck-data:/var/lib/crosscheck crosscheck

# Build stage: the full image has python3, make and g++ for node-gyp (better-sqlite3 runs it
# on install; it finds its prebuilt binary and compiles nothing).
FROM node:24-bookworm AS build
WORKDIR /build
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY scripts/build.ts ./scripts/build.ts
COPY src ./src
COPY web ./web
# `npm ci` runs `prepare`, which is `npm run build` (dist/: the JavaScript and the dashboard);
# then the dev dependencies go.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

# Runtime stage: the slim image, the built package and its production dependencies only.
FROM node:24-bookworm-slim
# ping runs icmp monitors.
RUN apt-get update \
  && apt-get install -y --no-install-recommends iputils-ping \
  && rm -rf /var/lib/apt/lists/* \
  && groupadd --system crosscheck \
  && useradd --system --gid crosscheck --home-dir /var/lib/crosscheck --no-create-home \
    --shell /usr/sbin/nologin crosscheck \
  && install -d -o crosscheck -g crosscheck -m 0700 /var/lib/crosscheck
WORKDIR /opt/crosscheck
COPY --from=build /build/package.json ./package.json
COPY --from=build /build/bin ./bin
COPY --from=build /build/dist ./dist
COPY --from=build /build/node_modules ./node_modules
RUN ln -s /opt/crosscheck/bin/crosscheck.js /usr/local/bin/crosscheck

ENV NODE_ENV=production \
  CROSSCHECK_DATA_DIR=/var/lib/crosscheck
USER crosscheck
VOLUME ["/var/lib/crosscheck"]
# 7434: API and dashboard (a token is required beyond loopback); 7433: coordinator peer port
# (mutual TLS), needed only when agents join.
EXPOSE 7434 7433
# `health` asks the running daemon (whatever its port) and reports "running": false otherwise.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD crosscheck health --json | grep -Eq '"running": ?true'
# Capabilities: none are needed except for icmp monitors, where ping needs CAP_NET_RAW (kept
# by Docker's default set) unless the host allows unprivileged ICMP sockets
# (net.ipv4.ping_group_range). With `--cap-drop ALL`, add back `--cap-add NET_RAW` only for icmp.
ENTRYPOINT ["crosscheck"]
CMD ["start", "--api-listen", "0.0.0.0:7434", "--listen", "0.0.0.0:7433"]
