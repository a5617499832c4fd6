#!/bin/sh
# As the official image does: with no configuration file, Redis leaves protected mode off, so that
# the other containers of its network may connect (it has no password; its port is not published).
set -eu
if [ "${1:-}" = redis-server ]; then
  shift
  set -- redis-server --protected-mode no "$@"
fi
exec "$@"
