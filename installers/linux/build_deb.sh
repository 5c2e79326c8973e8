#!/usr/bin/env bash
# Build the Sprout .deb from the PyInstaller bundles (installers/build_bundles.sh makes them).
#   bash installers/linux/build_deb.sh [BUNDLES_DIR=dist] [OUT_DIR=dist]
# Env: DEB_COMPRESS=xz|gzip|none (default xz), DEB_LEVEL (default 6; tests use a fast level).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUNDLES="$(realpath "${1:-$ROOT/dist}")"
OUT="$(realpath -m "${2:-$ROOT/dist}")"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$ROOT/agent/__init__.py")"
for b in sprout-agent sprout-companion sprout-console; do
    [ -x "$BUNDLES/$b/$b" ] || { echo "build_deb: $BUNDLES/$b/$b: missing; run installers/build_bundles.sh" >&2; exit 2; }
done
STAGE="$(mktemp -d "${TMPDIR:-/tmp}/sprout-deb.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT
PKG="$STAGE/sprout"
umask 022
mkdir -p "$PKG/DEBIAN" "$PKG/usr/bin" "$PKG/usr/lib/sprout" "$PKG/usr/lib/systemd/system" "$PKG/etc/xdg/autostart" \
    "$PKG/usr/share/applications" "$PKG/usr/share/icons/hicolor/scalable/apps" "$PKG/usr/share/doc/sprout" \
    "$PKG/etc/polkit-1/rules.d"
for b in sprout-agent sprout-companion sprout-console; do
    cp -a "$BUNDLES/$b" "$PKG/usr/lib/sprout/$b"
    ln -s "../lib/sprout/$b/$b" "$PKG/usr/bin/$b"
done
# Shared objects need no execute bit; their debug symbols are dead weight (STRIP=0 keeps them). The bundle
# executables themselves are never stripped: PyInstaller keeps its archive appended to them.
find "$PKG/usr/lib/sprout" -type f -name '*.so*' -exec chmod 0644 {} +
if [ "${STRIP:-1}" = 1 ] && command -v strip >/dev/null; then
    find "$PKG/usr/lib/sprout" -type f -name '*.so*' -print0 | xargs -0 -r strip --strip-unneeded 2>/dev/null || true
fi
mkdir -p "$PKG/usr/share/lintian/overrides"
install -m 0644 "$HERE/debian/lintian-overrides" "$PKG/usr/share/lintian/overrides/sprout"
install -m 0644 "$HERE/sprout-agent.service" "$PKG/usr/lib/systemd/system/sprout-agent.service"
# the unit runs as `sprout`: logind lets that account (only) lock the child's session and log it out
install -m 0644 "$HERE/polkit/50-sprout.rules" "$PKG/etc/polkit-1/rules.d/50-sprout.rules"
install -m 0644 "$HERE/sprout-companion.desktop" "$PKG/etc/xdg/autostart/sprout-companion.desktop"
install -m 0644 "$HERE/sprout-console.desktop" "$PKG/usr/share/applications/sprout-console.desktop"
install -m 0644 "$ROOT/resources/icons/sprout.svg" "$PKG/usr/share/icons/hicolor/scalable/apps/sprout.svg"
install -m 0644 "$HERE/debian/copyright" "$PKG/usr/share/doc/sprout/copyright"
[ -f "$ROOT/docs/install.md" ] && install -m 0644 "$ROOT/docs/install.md" "$PKG/usr/share/doc/sprout/install.md"
printf 'sprout (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- Sprout developers <dev@sprout.invalid>  %s\n' \
    "$VERSION" "$VERSION" "$(date -R -d @"${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s)}")" \
    | gzip -9n > "$PKG/usr/share/doc/sprout/changelog.gz"
for s in postinst prerm postrm; do
    sed "s/@VERSION@/$VERSION/g" "$HERE/debian/$s" > "$PKG/DEBIAN/$s"
    chmod 0755 "$PKG/DEBIAN/$s"
done
# the /etc files are ours to replace on upgrade, but a local edit must survive: conffiles
printf '%s\n' /etc/xdg/autostart/sprout-companion.desktop /etc/polkit-1/rules.d/50-sprout.rules > "$PKG/DEBIAN/conffiles"
SIZE="$(du -sk --exclude=DEBIAN "$PKG" | cut -f1)"
# The bundles carry the build machine's Python and libraries, linked against its C library: a package built on a
# newer release (Ubuntu 24.04: glibc 2.39) must say so, or dpkg installs it where it cannot start (Debian 12: 2.36).
LIBC="$( (echo 2.36; find "$PKG/usr/lib/sprout" -type f -print0 | xargs -0 grep -aohE 'GLIBC_2\.[0-9]+' 2>/dev/null \
    | sed 's/^GLIBC_//') | sort -uV | tail -1)"
sed -e "s/@VERSION@/$VERSION/" -e "s/@SIZE@/$SIZE/" -e "s/@LIBC@/$LIBC/" "$HERE/debian/control.in" > "$PKG/DEBIAN/control"
(cd "$PKG" && find . -path ./DEBIAN -prune -o -type f -print0 | sort -z | xargs -0 md5sum | sed 's| \./| |') \
    > "$PKG/DEBIAN/md5sums"
chmod 0644 "$PKG/DEBIAN/control" "$PKG/DEBIAN/md5sums" "$PKG/DEBIAN/conffiles"
mkdir -p "$OUT"
DEB="$OUT/sprout_${VERSION}_amd64.deb"
dpkg-deb --root-owner-group -Z"${DEB_COMPRESS:-xz}" -z"${DEB_LEVEL:-6}" --build "$PKG" "$DEB" >/dev/null
echo "$DEB"
