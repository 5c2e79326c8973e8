#!/usr/bin/env bash
# Build Sprout.pkg with pkgbuild + productbuild on a Mac (not run yet: .github/workflows/windows-macos.yml).
#   bash installers/macos/build_pkg.sh [DIST=dist]
# Silent install:   sudo SPROUT_SILENT=1 installer -pkg Sprout.pkg -target /
# Device makers put oem.toml at "/Library/Application Support/Sprout/oem.toml" before or with the package.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DIST="${1:-$ROOT/dist}"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$ROOT/agent/__init__.py")"
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
SUPPORT="$STAGE/payload/Library/Application Support/Sprout"
mkdir -p "$SUPPORT" "$STAGE/payload/Library/LaunchDaemons" "$STAGE/payload/Library/LaunchAgents" "$STAGE/payload/Applications"
cp -R "$DIST/sprout-agent" "$SUPPORT/sprout-agent"
cp -R "$DIST/Sprout Companion.app" "$STAGE/payload/Applications/"
cp -R "$DIST/Sprout Console.app" "$STAGE/payload/Applications/"
cp "$ROOT/resources/browser-policies/macos/sprout-browser-policies.mobileconfig" "$SUPPORT/"
install -m 0755 "$HERE/scripts/uninstall.sh" "$SUPPORT/uninstall.sh"
install -m 0644 "$HERE/vn.sprout.agent.plist" "$STAGE/payload/Library/LaunchDaemons/"
install -m 0644 "$HERE/vn.sprout.companion.plist" "$STAGE/payload/Library/LaunchAgents/"
plutil -lint "$STAGE/payload/Library/LaunchDaemons/vn.sprout.agent.plist" "$STAGE/payload/Library/LaunchAgents/vn.sprout.companion.plist"
chmod 0755 "$HERE/scripts/preinstall" "$HERE/scripts/postinstall"
pkgbuild --root "$STAGE/payload" --scripts "$HERE/scripts" --identifier vn.sprout.pkg --version "$VERSION" \
    --install-location / "$STAGE/sprout-component.pkg"
productbuild --package "$STAGE/sprout-component.pkg" "$DIST/Sprout-$VERSION.pkg"
echo "$DIST/Sprout-$VERSION.pkg"
