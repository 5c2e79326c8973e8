# Shared by run.sh and test.sh: system packages, the virtual environment, the project installed into it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SPROUT_VENV:-$ROOT/.venv}"

sprout_system_packages() {
  local wanted missing=()
  wanted=$(grep -v '^\s*#' "$ROOT/scripts/debian-packages.txt" | grep -v '^\s*$')
  command -v dpkg-query >/dev/null || { echo "not a Debian/Ubuntu system: install the equivalents of scripts/debian-packages.txt yourself" >&2; return 0; }
  for p in $wanted; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing Debian packages: ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

sprout_venv() {
  local extras="$1"
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV" || { echo "python3 -m venv failed: install python3-venv (apt-get install python3-venv)" >&2; exit 1; }
  fi
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e "$ROOT[$extras]"
}
