#!/usr/bin/env bash
# Build the three PyInstaller one-folder bundles into dist/ and smoke-test each (start, --version, exit 0).
#   bash installers/build_bundles.sh [agent|companion|console ...]   (default: all three)
# Prints each bundle's build time and size.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
DIST="${DIST:-$ROOT/dist}"
WORK="${WORK:-$ROOT/build/pyinstaller}"
cd "$ROOT"
if ! "$VENV/bin/python" -c 'import PyInstaller' 2>/dev/null; then
    "$VENV/bin/pip" install -q pyinstaller==6.22.3
fi
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(agent companion console)
for t in "${targets[@]}"; do
    spec="installers/pyinstaller/sprout-$t.spec"
    [ -f "$spec" ] || { echo "build_bundles: $t: no such bundle (agent, companion, console)" >&2; exit 2; }
    start=$(date +%s.%N)
    "$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN --distpath "$DIST" --workpath "$WORK" "$spec"
    end=$(date +%s.%N)
    exe="$DIST/sprout-$t/sprout-$t"
    version="$(QT_QPA_PLATFORM=offscreen "$exe" --version)"
    case "$version" in
        "sprout-$t "*) ;;
        *) echo "build_bundles: $exe --version printed '$version'" >&2; exit 1 ;;
    esac
    printf 'bundle %-17s %6.1f s  %5s  %s\n' "sprout-$t" "$(awk "BEGIN{print $end - $start}")" \
        "$(du -sh "$DIST/sprout-$t" | cut -f1)" "$version"
done
