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
  compare     the suite against it: compare --stateful-url http://127.0.0.1:8081
              --stateless-url http://127.0.0.1:8082 (from its build: pnpm build first)
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

case "${1:-}" in -h | --help | help | "") ;; *) CHECK_TOOLS=1 ;; esac
for tool in ${CHECK_TOOLS:+podman runc docker-compose mmdebstrap curl node npm}; do
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

# A Debian root filesystem with `packages`, imported as `tag`, unless already there. Written
# aside, then renamed: an interrupted mmdebstrap leaves no tar that looks whole. The format is
# named: mmdebstrap guesses it from the file's extension, and `.partial` would make a folder.
rootfs_image() {
  local tag="$1" packages="$2" file="$CACHE/$3.tar"
  has_image "$tag" && return 0
  say "making $tag from Debian's packages (mmdebstrap)"
  if [ ! -f "$file" ] || [ ! -s "$file" ]; then
    rm -rf "$file" "$file.partial"
    mmdebstrap --quiet --format=tar --variant=minbase --include="$packages" bookworm "$file.partial"
    mv "$file.partial" "$file"
  fi
  podman import --quiet "$file" "$tag" >/dev/null
}

images() {
  rootfs_image localhost/cart/debian:bookworm ca-certificates,libatomic1,wget debian
  rootfs_image localhost/cart/stores:bookworm redis-server,postgresql-15,haproxy,wget stores
  # Built every time, from podman's layer cache when nothing changed: an edited Containerfile or
  # entrypoint reaches the image.
  local node_bin="${NODE_BIN:-$HOME/.cache/node-$NODE_VERSION/node_modules/node/bin/node}" context npm_dir
  [ -x "$node_bin" ] || node_bin="$(command -v node)"
  [ "$("$node_bin" --version)" = "v$NODE_VERSION" ] ||
    fail "the base image needs Node $NODE_VERSION (the Dockerfile's); NODE_BIN=$node_bin is $("$node_bin" --version)"
  npm_dir="$(dirname "$(readlink -f "$(command -v npm)")")/.."
  [ -f "$npm_dir/package.json" ] && grep -q '"name": "npm"' "$npm_dir/package.json" ||
    fail "npm on PATH is not a whole npm package (found $npm_dir): install npm from the npm registry"
  context="$(mktemp -d)"
  cp "$ROOT/deploy/local-images/node/Containerfile" /etc/ssl/certs/ca-certificates.crt "$context/"
  cp "$node_bin" "$context/node"
  cp -r "$npm_dir" "$context/npm"
  say "localhost/cart/node:$NODE_VERSION"
  podman build --quiet -t "localhost/cart/node:$NODE_VERSION" "$context" >/dev/null
  rm -rf "$context"
  local image dir version
  for image in redis:7.0.15 postgres:15.20 haproxy:2.6.12 s3rver:4.0.4; do
    dir="${image%%:*}"
    [ "$dir" = s3rver ] && dir=s3
    say "localhost/cart/$image"
    podman build --quiet -t "localhost/cart/$image" "$ROOT/deploy/local-images/$dir" >/dev/null
  done
  # The tags say the versions Debian gave: checked, not assumed.
  version="$(podman run --rm --entrypoint redis-server localhost/cart/redis:7.0.15 --version)"
  [[ "$version" == *"v=7.0.15 "* ]] || fail "localhost/cart/redis:7.0.15 holds $version"
  version="$(podman run --rm --entrypoint /usr/lib/postgresql/15/bin/postgres localhost/cart/postgres:15.20 --version)"
  [[ "$version" == *" 15.20 "* ]] || fail "localhost/cart/postgres:15.20 holds $version"
  # Read whole (a reader that stops early would break podman's pipe and fail the run).
  version="$(podman run --rm localhost/cart/haproxy:2.6.12 haproxy -v)"
  version="${version%%$'\n'*}"
  [[ "$version" == *" 2.6.12"* ]] || fail "localhost/cart/haproxy:2.6.12 holds $version"
  for app in stateful stateless; do
    say "building cart-demo/$app from the Dockerfile (base localhost/cart/node:$NODE_VERSION)"
    # Docker's image format keeps the Dockerfile's HEALTHCHECK (the OCI format has none).
    podman build --quiet --format docker --build-arg "BASE_IMAGE=localhost/cart/node:$NODE_VERSION" \
      --build-arg "APP=$app" -t "cart-demo/$app" "$ROOT" >/dev/null
  done
}

# docker-compose speaks Docker's API: podman serves it on a socket of ours while the stack is up.
api_answers() { [ -S "$SOCKET" ] && curl -fsS --max-time 2 --unix-socket "$SOCKET" http://podman/_ping >/dev/null 2>&1; }
start_api() {
  api_answers && return 0
  rm -f "$SOCKET"
  podman system service --time=0 "unix://$SOCKET" >"$CACHE/podman-api.log" 2>&1 </dev/null &
  echo $! >"$CACHE/podman-api.pid"
  for _ in $(seq 50); do api_answers && return 0; sleep 0.1; done
  fail "podman's API did not start (see $CACHE/podman-api.log)"
}
# Stops the process a pid file names, if it is still the one this script started.
stop_pid() {
  local file="$1" what="$2" pid
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  grep -q "$what" "/proc/$pid/cmdline" 2>/dev/null && kill "$pid" 2>/dev/null || true
  rm -f "$file"
}
stop_api() {
  stop_pid "$CACHE/podman-api.pid" "system"
  rm -f "$SOCKET"
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

APPS=(stateful-1 stateful-2 stateful-3 stateless-1 stateless-2 stateless-3)
healthy() { [ "$(podman inspect --format '{{.State.Health.Status}}' "${PROJECT}_$1_1" 2>/dev/null)" = healthy ]; }

up() {
  start_api
  stop_pid "$CACHE/health-checks.pid" "container-stack"
  health_checks >/dev/null 2>&1 &
  echo $! >"$CACHE/health-checks.pid"
  say "docker-compose up (it waits for the stores' health checks)"
  DOCKER_HOST="unix://$SOCKET" timeout 300 docker-compose -p "$PROJECT" "${COMPOSE_FILES[@]}" up -d --no-build ||
    fail "docker-compose up failed or took over 300 s"
  local app all
  for _ in $(seq 120); do
    all=yes
    for app in "${APPS[@]}"; do healthy "$app" || all=no; done
    if [ "$all" = yes ] && curl -fsS --max-time 2 http://127.0.0.1:8081/readyz >/dev/null 2>&1 &&
      curl -fsS --max-time 2 http://127.0.0.1:8082/readyz >/dev/null 2>&1; then
      say "all six app containers healthy; both balancers answer /readyz 200"
      return 0
    fi
    sleep 1
  done
  compose ps >&2
  fail "the stack was not ready within 120 s"
}

down() {
  stop_pid "$CACHE/health-checks.pid" "container-stack"
  start_api
  compose down --volumes --remove-orphans >&2 || say "docker-compose down failed; removing what is left with podman"
  stop_api
  local label="label=com.docker.compose.project=$PROJECT" left
  podman rm -f $(podman ps -aq --filter "$label") >/dev/null 2>&1 || true
  podman volume rm -f $(podman volume ls -q --filter "$label") >/dev/null 2>&1 || true
  podman network rm -f $(podman network ls -q --filter "$label") >/dev/null 2>&1 || true
  left="$(podman ps -aq --filter "$label")$(podman volume ls -q --filter "$label")$(podman network ls -q --filter "$label")"
  [ -z "$left" ] || fail "left behind: $left"
  say "the stack is down: no container, network or volume of it is left"
}

compare() {
  node "$ROOT/tools/compare/dist/commands/compare.js" \
    --stateful-url http://127.0.0.1:8081 --stateless-url http://127.0.0.1:8082 --report-dir "$CACHE/reports"
}

# Alice logs in through a balancer and adds a pizza, which her cart then shows; the container that
# served her is stopped (and checked to be stopped); her cart is asked for again through the same
# balancer, with the same cookies, and answered by another server. Sets SERVED, STATUS and KEPT.
experiment_side() {
  local side="$1" port="$2" jar body headers after
  jar="$(mktemp)"
  body="$(mktemp)"
  headers="$(mktemp)"
  curl -fsS --max-time 5 -c "$jar" -b "$jar" -H 'content-type: application/json' \
    -d '{"username":"alice","password":"pepperoni"}' "http://127.0.0.1:$port/auth/login" >/dev/null
  curl -fsS --max-time 5 -D "$headers" -o /dev/null -c "$jar" -b "$jar" -H 'content-type: application/json' \
    -d '{"sku":"margherita-pizza","quantity":1}' "http://127.0.0.1:$port/cart/items"
  SERVED="$(tr -d '\r' <"$headers" | sed -n 's/^x-served-by: //Ip')"
  [ -n "$SERVED" ] || fail "$side: the pizza's answer named no server"
  curl -fsS --max-time 5 -c "$jar" -b "$jar" "http://127.0.0.1:$port/cart" | grep -q margherita-pizza ||
    fail "$side: Alice's cart does not show her pizza before the stop"
  say "$side: Alice's pizza is in her cart, added on $SERVED; docker-compose stop $SERVED"
  compose stop "$SERVED" >/dev/null 2>&1
  [ "$(podman inspect --format '{{.State.Running}}' "${PROJECT}_${SERVED}_1")" = false ] ||
    fail "$side: $SERVED is still running after docker-compose stop"
  STATUS="$(curl -s --max-time 5 -D "$headers" -o "$body" -w '%{http_code}' -c "$jar" -b "$jar" "http://127.0.0.1:$port/cart")"
  after="$(tr -d '\r' <"$headers" | sed -n 's/^x-served-by: //Ip')"
  [ -n "$after" ] && [ "$after" != "$SERVED" ] || fail "$side: the cart after the stop was not answered by another server ($after)"
  KEPT=no
  grep -q margherita-pizza "$body" && KEPT=yes
  rm -f "$jar" "$body" "$headers"
  compose start "$SERVED" >/dev/null 2>&1 || fail "$side: docker-compose start $SERVED failed"
}

experiment() {
  start_api
  experiment_side stateful 8081
  say "stateful, after $SERVED stopped: GET /cart $STATUS, her pizza kept: $KEPT"
  [ "$STATUS" = 401 ] && [ "$KEPT" = no ] || fail "the stateful side kept Alice's session after $SERVED stopped"
  experiment_side stateless 8082
  say "stateless, after $SERVED stopped: GET /cart $STATUS, her pizza kept: $KEPT"
  [ "$STATUS" = 200 ] && [ "$KEPT" = yes ] || fail "the stateless side lost Alice's cart when $SERVED stopped"
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
    trap 'exit 143' TERM INT
    images
    up
    compare
    experiment
    ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac
