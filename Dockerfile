# Hops container image: small, non-root, read-only-rootfs friendly.
#   docker build -t hops .        (or: docker compose up -d, see docker-compose.yml)
# Two stages: TypeScript is compiled with the development dependencies in the
# first; the image keeps only dist/ and the runtime dependencies.

# ---- build: compile src/ to dist/ -------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts run: none of the dependencies need one.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

# ---- runtime ----------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && rm -rf /root/.npm
# Port 53 as an unprivileged user: give node the one capability it needs
# (CAP_NET_BIND_SERVICE) as a file capability, then remove the tool. Docker
# 20.10+ also lets containers bind low ports by default; this covers host
# networking, Podman and older engines. The container must keep the
# capability in its bounding set (docker-compose.yml: cap_add NET_BIND_SERVICE).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcap2-bin \
 && setcap cap_net_bind_service=+ep "$(readlink -f "$(command -v node)")" \
 && apt-get purge -y --auto-remove libcap2-bin \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/dist ./dist
COPY root-hints ./root-hints
# The root's DNSSEC trust anchors: validation is on by default.
COPY trust-anchors ./trust-anchors
# Example zones; mount your own over /app/zones (docker-compose.yml does).
COPY zones ./zones
# Everything above is owned by root and read-only to this user; Hops writes
# nothing at run time (logs go to stdout), so `read_only: true` works.
USER node
EXPOSE 53/udp 53/tcp
# One real DNS query to the configured listen address; any answer is healthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["node", "dist/main.js", "health"]
ENTRYPOINT ["node", "dist/main.js"]
