#!/usr/bin/env bash
# Sets up everything the tests need (Debian packages, .venv, the project) and runs the whole test suite.
# Extra arguments go to pytest, e.g.  bash scripts/test.sh -k ledger
source "$(dirname "$0")/lib.sh"
sprout_system_packages test
sprout_venv dev,build,gui
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen
exec "$VENV/bin/python" -m pytest "$@"
