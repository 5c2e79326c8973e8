# Shared by run.sh and test.sh: system packages, the virtual environment, the project installed into it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SPROUT_VENV:-$ROOT/.venv}"
PYTHON="${SPROUT_PYTHON:-python3}"

say() { printf 'sprout: %s\n' "$*" >&2; }

# The Debian package lists for a purpose: "run" (running Sprout) or "test" (running the suite, which also runs it).
sprout_package_list() {
  local files=("$ROOT/scripts/debian-packages-run.txt")
  [ "$1" = test ] && files+=("$ROOT/scripts/debian-packages.txt")
  grep -hv '^\s*#' "${files[@]}" | grep -v '^\s*$'
  # PyInstaller (the installer tests) needs the shared library of the Python the venv is made from.
  [ "$1" = test ] && "$PYTHON" -c 'import sys; print("libpython%d.%d" % sys.version_info[:2])' 2>/dev/null || true
}

sprout_system_packages() {
  local purpose="${1:-test}" wanted missing=() unknown=() p
  command -v dpkg-query >/dev/null || {
    say "not a Debian/Ubuntu system: install the equivalents of scripts/debian-packages*.txt yourself"
    return 0
  }
  wanted=$(sprout_package_list "$purpose")
  for p in $wanted; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { say "needs these Debian packages (run as root, or install sudo): ${missing[*]}"; exit 1; }
    sudo="sudo"
  fi
  say "installing Debian packages: ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  # A package this system's archive does not have (e.g. Ubuntu's chromium is a snap) is named and left out: the
  # tests that need it say why they skip; everything else is installed.
  for p in "${missing[@]}"; do
    if apt-cache show "$p" >/dev/null 2>&1 && [ -n "$(apt-cache show "$p" 2>/dev/null | grep -m1 '^Version:')" ]; then
      :
    else
      unknown+=("$p")
    fi
  done
  if [ ${#unknown[@]} -gt 0 ]; then
    say "not in this system's package archive, left out: ${unknown[*]}"
    local keep=() u skip
    for p in "${missing[@]}"; do
      skip=0
      for u in "${unknown[@]}"; do [ "$p" = "$u" ] && skip=1; done
      [ $skip -eq 0 ] && keep+=("$p")
    done
    missing=("${keep[@]}")
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  # The tests run their own unbound, dnsmasq and D-Bus; installing a package must not start its system service
  # (a resolver on port 53, say) on the user's machine. A policy-rc.d of our own says so for this install only; one
  # the system already has is left as it is.
  local policy=/usr/sbin/policy-rc.d ours=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# sprout: scripts/lib.sh, for one apt-get install\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
    ours=1
  fi
  local rc=0
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" || rc=$?
  [ $ours -eq 1 ] && $sudo rm -f "$policy"
  return $rc
}

# Is $VENV a whole virtual environment (its python runs and has pip)? A first run stopped half-way (no
# python3-venv, Ctrl-C, a full disk) leaves one that is not.
sprout_venv_ok() {
  [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import sys, pip; sys.exit(sys.prefix == sys.base_prefix)' \
    >/dev/null 2>&1
}

sprout_venv() {
  local extras="$1"
  if [ -e "$VENV" ] && ! sprout_venv_ok; then
    say "$VENV is incomplete (an earlier set-up stopped half-way): making it again"
    rm -rf "$VENV"
  fi
  if [ ! -e "$VENV" ]; then
    "$PYTHON" -m venv "$VENV" || {
      rm -rf "$VENV"
      say "'$PYTHON -m venv' failed: install python3-venv (apt-get install python3-venv) and run this again"
      exit 1
    }
  fi
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT[$extras]"
}
