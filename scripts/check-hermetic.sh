#!/usr/bin/env bash
# The suite on a machine that is busy with other things: runs README's test command N times (default 3) from a
# clone of this work tree in a 0700 folder, while
#   - two CPU hogs keep both cores busy (SPROUT_HOGS=N: N of them),
#   - a second Sprout agent runs as the demo does (user mode, the demo's ports, advertised on zeroconf),
#   - programs named like a catalogued game and a blocked app run as this account.
# Every run must pass. Usage: bash scripts/check-hermetic.sh [N]     (about 10 minutes a run on 2 cores)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-3}"
say() { printf 'check-hermetic: %s\n' "$*" >&2; }
[ -x "$ROOT/.venv/bin/sprout-agent" ] || { say "run 'bash scripts/test.sh' once first (it makes .venv)"; exit 1; }

WORK="$(mktemp -d "${HOME:-/tmp}/sprout-hermetic.XXXXXX")"  # mktemp makes it 0700
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# The noise: hogs, another agent, look-alike programs.
for _ in $(seq 1 "${SPROUT_HOGS:-2}"); do (while :; do :; done) & pids+=($!); done
"$ROOT/.venv/bin/sprout-agent" run --user-mode --state "$WORK/other-agent" --link 0.0.0.0:47800 \
  --dns 127.0.0.1:47853 --no-companion-socket >"$WORK/other-agent.log" 2>&1 &
pids+=($!)
mkdir -p "$WORK/look-alikes"
for name in Minecraft.exe TikTok RobloxPlayerBeta; do
  cp "$(command -v sleep)" "$WORK/look-alikes/$name"
  "$WORK/look-alikes/$name" 100000 & pids+=($!)
done
sleep 3
kill -0 "${pids[2]}" 2>/dev/null || { say "the second agent did not start:"; cat "$WORK/other-agent.log" >&2; exit 1; }

git clone -q --no-hardlinks "$ROOT" "$WORK/sprout"
(cd "$ROOT" && git ls-files -z -co --exclude-standard | tar --null -T - -cf -) | tar -xf - -C "$WORK/sprout"
say "clone in $WORK/sprout ($(stat -c %a "$WORK")); hogs, a second agent and look-alikes running"
for n in $(seq 1 "$RUNS"); do
  started=$(date +%s)
  if (cd "$WORK/sprout" && bash scripts/test.sh -q -p no:cacheprovider) >"$WORK/run-$n.log" 2>&1; then
    say "run $n: $(tail -1 "$WORK/run-$n.log") ($(( $(date +%s) - started )) s)"
    cp "$WORK/run-$n.log" "/tmp/sprout-hermetic-run-$n.log"
  else
    say "run $n FAILED ($(( $(date +%s) - started )) s):"
    grep -E "^(FAILED|ERROR)" "$WORK/run-$n.log" >&2 || true
    cp "$WORK/run-$n.log" "/tmp/sprout-hermetic-run-$n.log"
    say "full log: /tmp/sprout-hermetic-run-$n.log"
    exit 1
  fi
done
say "all $RUNS runs passed"
