#!/bin/sh
# Runs a command on "another kind of machine": with a /dev/kvm stand-in (present) or without /dev/kvm (absent),
# whatever this machine has, e.g.  test/support/with-dev-kvm.sh absent npm test
# The change is confined to a private mount namespace that ends with the command.
set -eu
case "${1:-}" in present) kvm=kvm ;; absent) kvm=none ;; *) echo "usage: $0 present|absent <command...>" >&2; exit 2 ;; esac
shift
here=$(cd "$(dirname "$0")" && pwd)
exec unshare --mount --propagation private sh -c '
  view=$(mktemp -d /tmp/dev-view-XXXXXX)
  sh "$0" "$view" "$1" >/dev/null
  shift
  exec "$@"' "$here/dev-view.sh" "$kvm" "$@"
