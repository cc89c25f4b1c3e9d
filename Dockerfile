# syntax=docker/dockerfile:1
# strata as one compiled executable (scripts/build-binary.ts) in a slim Debian image.
#   docker build -t strata .
#   docker run --rm -v "$PWD/runs:/data/runs" strata demo --out runs/demo

# Stage 1: install the locked dependencies, which include our pinned Bun (the npm package
# `bun`), and compile dist/strata for this platform. Debian bookworm (glibc) like the runtime
# stage: the DuckDB library embedded in the binary is the one npm picked for this libc.
FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# `npm install` rather than `npm ci`: the lockfile cannot list other platforms' optional
# packages (the registry this project is built against does not serve them), which `npm ci`
# rejects; `npm install` keeps every pinned version and skips what this platform does not need.
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build && ./dist/strata --version

# Stage 2: only the binary. libstdc++ is for the embedded DuckDB library.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libstdc++6 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 --shell /usr/sbin/nologin strata \
 && mkdir /data \
 && chown strata:strata /data
COPY --from=build /src/dist/strata /usr/local/bin/strata
# On first use the binary unpacks DuckDB's library and caches a PGlite snapshot here; /tmp is
# writable whatever --user the container runs as.
ENV STRATA_CACHE_DIR=/tmp/strata-cache
USER strata
WORKDIR /data
ENTRYPOINT ["strata"]
CMD ["--help"]
