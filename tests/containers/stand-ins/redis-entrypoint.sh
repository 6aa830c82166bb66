#!/bin/sh
# As the official redis image: protected mode off unless the command line says otherwise.
set -e
if [ "$1" = redis-server ]; then
  shift
  set -- redis-server "$@" --protected-mode no
fi
exec "$@"
