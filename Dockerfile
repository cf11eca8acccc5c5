# The local server (all functions + the web app) as one container, for docker-compose.
FROM node:20-bookworm AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web .
RUN npm run build

FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --profile server --locked -p local-server

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/server/local-server /usr/local/bin/local-server
COPY --from=web /web/dist /srv/web
ENV WEB_DIR=/srv/web BIND_ADDRESS=0.0.0.0 PORT=8081
EXPOSE 8081
CMD ["local-server"]
