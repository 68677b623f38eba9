#!/bin/sh
# Gives the current mount namespace its own /dev: a tmpfs at $1 holding a bind mount of every entry of the machine's
# /dev but kvm, plus, when $2 is "kvm", a /dev/kvm TEST DOUBLE (a character device that is really /dev/null: the
# Kata host check's `test -c /dev/kvm` passes, nothing can open a VM with it), mounted over /dev.
# Run it only inside a private mount namespace (unshare --mount): it changes what /dev is for that namespace alone.
set -eu
dir=$1
mkdir -p "$dir"
mount -t tmpfs -o mode=755 dev-view "$dir"
for e in /dev/* /dev/.[!.]*; do
  [ -e "$e" ] || [ -L "$e" ] || continue
  n=${e#/dev/}
  [ "$n" = kvm ] && continue
  if [ -L "$e" ]; then cp -P "$e" "$dir/$n"
  elif [ -d "$e" ]; then mkdir "$dir/$n" && mount --rbind "$e" "$dir/$n"
  else touch "$dir/$n" && mount --bind "$e" "$dir/$n"; fi
done
if [ "${2:-}" = kvm ]; then touch "$dir/kvm" && mount --bind /dev/null "$dir/kvm"; fi
mount --rbind "$dir" /dev
