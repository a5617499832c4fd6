#!/usr/bin/env bash
# The Compose stack run for real with podman, where no image registry is reachable: base images
# made once from Debian's packages (mmdebstrap) and the Node binary CI runs, cached outside the
# repository; both app images built from the real Dockerfile on that base; the real
# docker-compose.yml brought up with deploy/local-images/compose.local-images.yml (which only swaps
# the images); `pnpm compare` against its two HAProxy balancers; then the experiment users do by
# hand: stop the container serving Alice on each side. Everything it starts, it takes down.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/container-stack.sh [images|up|compare|experiment|down|all]

  images      make the local base and store images (once; cached), build both app images
  up          bring the Compose stack up and wait for its health checks
  compare     pnpm compare --stateful-url http://127.0.0.1:8081 --stateless-url http://127.0.0.1:8082
  experiment  stop the container serving Alice on each side, and show what she keeps
  down        take the stack down: containers, network and volumes
  all         images, up, compare, experiment, down (down also when a step fails)

Needs podman, runc, docker-compose, mmdebstrap and curl (Debian: apt-get install podman runc
golang-github-containernetworking-plugin-dnsname docker-compose mmdebstrap curl).
CART_IMAGE_CACHE (default ~/.cache/cart-demo) holds the root filesystems and podman's settings.
NODE_BIN names the Node binary for the base image (default: the one .ci/setup installs for the
Dockerfile's version, ~/.cache/node-<version>, else `node` on PATH).
USAGE
}

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${CART_IMAGE_CACHE:-$HOME/.cache/cart-demo}"
PROJECT=cart-stack
NODE_VERSION="$(sed -n 's/^ARG NODE_VERSION=//p' "$ROOT/Dockerfile")"
SOCKET="$CACHE/podman.sock"
COMPOSE_FILES=(-f "$ROOT/docker-compose.yml" -f "$ROOT/deploy/local-images/compose.local-images.yml")

say() { printf 'container-stack: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

for tool in podman runc docker-compose mmdebstrap curl; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (Debian: apt-get install podman runc golang-github-containernetworking-plugin-dnsname docker-compose mmdebstrap curl)"
done

# runc and cgroupfs: crun and systemd's cgroups are not available on every machine; no rlimits.
mkdir -p "$CACHE"
cat >"$CACHE/containers.conf" <<'CONF'
[containers]
default_ulimits = []
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
CONF
export CONTAINERS_CONF="$CACHE/containers.conf"

has_image() { podman image exists "$1"; }

# A Debian root filesystem with `packages`, imported as `tag`, unless already there.
rootfs_image() {
  local tag="$1" packages="$2" file="$CACHE/$3.tar"
  has_image "$tag" && return 0
  say "making $tag from Debian's packages (mmdebstrap)"
  [ -s "$file" ] || mmdebstrap --quiet --variant=minbase --include="$packages" bookworm "$file"
  podman import --quiet "$file" "$tag" >/dev/null
}

images() {
  rootfs_image localhost/cart/debian:bookworm ca-certificates,libatomic1,wget debian
  rootfs_image localhost/cart/stores:bookworm redis-server,postgresql-15,haproxy,wget stores
  if ! has_image "localhost/cart/node:$NODE_VERSION"; then
    local node_bin="${NODE_BIN:-$HOME/.cache/node-$NODE_VERSION/node_modules/node/bin/node}" context
    [ -x "$node_bin" ] || node_bin="$(command -v node)"
    [ "$("$node_bin" --version)" = "v$NODE_VERSION" ] ||
      fail "the base image needs Node $NODE_VERSION (the Dockerfile's); NODE_BIN=$node_bin is $("$node_bin" --version)"
    context="$(mktemp -d)"
    cp "$ROOT/deploy/local-images/node/Containerfile" /etc/ssl/certs/ca-certificates.crt "$context/"
    cp "$node_bin" "$context/node"
    cp -r "$(dirname "$(readlink -f "$(command -v npm)")")/.." "$context/npm"
    say "making localhost/cart/node:$NODE_VERSION"
    podman build --quiet -t "localhost/cart/node:$NODE_VERSION" "$context" >/dev/null
    rm -rf "$context"
  fi
  local image
  for image in redis:7.0.15 postgres:15.20 haproxy:2.6.12 s3rver:4.0.4; do
    has_image "localhost/cart/$image" && continue
    say "making localhost/cart/$image"
    local dir="${image%%:*}"
    [ "$dir" = s3rver ] && dir=s3
    podman build --quiet -t "localhost/cart/$image" "$ROOT/deploy/local-images/$dir" >/dev/null
  done
  for app in stateful stateless; do
    say "building cart-demo/$app from the Dockerfile (base localhost/cart/node:$NODE_VERSION)"
    # Docker's image format keeps the Dockerfile's HEALTHCHECK (the OCI format has none).
    podman build --quiet --format docker --build-arg "BASE_IMAGE=localhost/cart/node:$NODE_VERSION" \
      --build-arg "APP=$app" -t "cart-demo/$app" "$ROOT" >/dev/null
  done
}

# docker-compose speaks Docker's API: podman serves it on a socket of ours while the stack is up.
start_api() {
  [ -S "$SOCKET" ] && DOCKER_HOST="unix://$SOCKET" docker-compose version >/dev/null 2>&1 && return 0
  rm -f "$SOCKET"
  podman system service --time=0 "unix://$SOCKET" >"$CACHE/podman-api.log" 2>&1 </dev/null &
  echo $! >"$CACHE/podman-api.pid"
  for _ in $(seq 50); do [ -S "$SOCKET" ] && return 0; sleep 0.1; done
  fail "podman's API did not start (see $CACHE/podman-api.log)"
}
stop_api() {
  [ -f "$CACHE/podman-api.pid" ] && kill "$(cat "$CACHE/podman-api.pid")" 2>/dev/null || true
  rm -f "$CACHE/podman-api.pid" "$SOCKET"
}
compose() { DOCKER_HOST="unix://$SOCKET" docker-compose -p "$PROJECT" "${COMPOSE_FILES[@]}" "$@"; }

# Without systemd, podman runs no health checks by itself: run every container's, every second.
health_checks() {
  while true; do
    for id in $(podman ps -q --filter "label=com.docker.compose.project=$PROJECT"); do
      podman healthcheck run "$id" >/dev/null 2>&1 || true
    done
    sleep 1
  done
}

up() {
  start_api
  health_checks >/dev/null 2>&1 &
  echo $! >"$CACHE/health-checks.pid"
  say "docker-compose up (it waits for the stores' health checks)"
  compose up -d --no-build
  for _ in $(seq 120); do
    if curl -fsS http://127.0.0.1:8081/readyz >/dev/null 2>&1 && curl -fsS http://127.0.0.1:8082/readyz >/dev/null 2>&1; then
      say "both balancers answer /readyz 200"
      return 0
    fi
    sleep 1
  done
  compose ps >&2
  fail "the stack was not ready within 120 s"
}

down() {
  [ -f "$CACHE/health-checks.pid" ] && kill "$(cat "$CACHE/health-checks.pid")" 2>/dev/null || true
  rm -f "$CACHE/health-checks.pid"
  start_api
  compose down --volumes --remove-orphans >&2 || true
  stop_api
  local left
  left="$(podman ps -aq --filter "label=com.docker.compose.project=$PROJECT")"
  [ -z "$left" ] || fail "containers left behind: $left"
  say "the stack is down: no container, network or volume of it is left"
}

compare() {
  node "$ROOT/tools/compare/dist/commands/compare.js" \
    --stateful-url http://127.0.0.1:8081 --stateless-url http://127.0.0.1:8082 --report-dir "$CACHE/reports"
}

# Alice logs in through a balancer and adds a pizza; the container that served her is stopped;
# her cart is asked for again through the same balancer, with the same cookies. Prints the
# server, the status and whether the pizza is still in her cart.
experiment_side() {
  local side="$1" port="$2" jar body served status
  jar="$(mktemp)"
  body="$(mktemp)"
  curl -fsS -c "$jar" -b "$jar" -H 'content-type: application/json' \
    -d '{"username":"alice","password":"pepperoni"}' "http://127.0.0.1:$port/auth/login" >/dev/null
  served="$(curl -fsS -D - -o /dev/null -c "$jar" -b "$jar" -H 'content-type: application/json' \
    -d '{"sku":"margherita-pizza","quantity":1}' "http://127.0.0.1:$port/cart/items" |
    tr -d '\r' | sed -n 's/^x-served-by: //Ip')"
  say "$side: Alice's pizza was added on $served; docker-compose stop $served"
  compose stop "$served" >/dev/null 2>&1
  status="$(curl -s -o "$body" -w '%{http_code}' -c "$jar" -b "$jar" "http://127.0.0.1:$port/cart")"
  compose start "$served" >/dev/null 2>&1
  local kept=no
  grep -q margherita-pizza "$body" && kept=yes
  rm -f "$jar" "$body"
  echo "$served $status $kept"
}

experiment() {
  start_api
  local server status kept
  read -r server status kept <<<"$(experiment_side stateful 8081)"
  say "stateful, after $server stopped: GET /cart $status, her pizza kept: $kept"
  [ "$status" = 401 ] && [ "$kept" = no ] || fail "the stateful side kept Alice's session after $server stopped"
  read -r server status kept <<<"$(experiment_side stateless 8082)"
  say "stateless, after $server stopped: GET /cart $status, her pizza kept: $kept"
  [ "$status" = 200 ] && [ "$kept" = yes ] || fail "the stateless side lost Alice's cart when $server stopped"
  say "as expected: the stateful side lost Alice's session with its server, the stateless side did not"
}

case "${1:-}" in
  images) images ;;
  up) up ;;
  compare) compare ;;
  experiment) experiment ;;
  down) down ;;
  all)
    trap down EXIT
    images
    up
    compare
    experiment
    ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac
