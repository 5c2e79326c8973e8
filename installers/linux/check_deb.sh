#!/usr/bin/env bash
# Check a built .deb: lintian (about 2 minutes for this package) and systemd-analyze verify of its unit, with
# the unit's command pointed into the unpacked package so the check also proves the program is there.
#   bash installers/linux/check_deb.sh dist/sprout_0.1.0_amd64.deb
set -euo pipefail
DEB="$(realpath "$1")"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
dpkg-deb -x "$DEB" "$TMP/root"
mkdir "$TMP/unit"
sed "s#/usr/bin/sprout-agent#$TMP/root/usr/bin/sprout-agent#g" "$TMP/root/usr/lib/systemd/system/sprout-agent.service" \
    > "$TMP/unit/sprout-agent.service"
systemd-analyze verify "$TMP/unit/sprout-agent.service"
echo "systemd-analyze verify: ok"
systemd-analyze security --offline=yes "$TMP/unit/sprout-agent.service" | tail -1
lintian --tag-display-limit 0 "$DEB" || true
