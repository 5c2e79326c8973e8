#!/usr/bin/env bash
# The README's commands on a newcomer's machine: a bare Debian root (debootstrap minbase, then only python3 and git),
# with this checkout cloned into a 0700 home folder. In it:
#   1. an interrupted first set-up (`python3 -m venv` without python3-venv leaves a half-made .venv), then
#   2. the run command, `bash scripts/run.sh`: it must install what it needs, rebuild the .venv (saying so), start
#      the agent and pair the console; then a smoke test: the DNS filter answers (dig), the console lists the PC,
#      `sprout-agent status` reads the day;
#   3. with SPROUT_BARE_TESTS=1, the test command, `bash scripts/test.sh`, as well (SPROUT_BARE_TEST_ARGS: pytest's).
# Needs root and debootstrap; CI runs it (.ci/run) for Debian 12. Usage: bash scripts/check-bare-root.sh [SUITE [MIRROR]]
# SUITE is a Debian suite (bookworm, the default) or an Ubuntu one (noble = Ubuntu 24.04: its archive keyring is
# fetched from Debian's archive, checked against Debian's package index, as debootstrap needs it to verify Ubuntu).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUITE="${1:-bookworm}"
case "$SUITE" in
  noble|jammy|oracular|plucky) DISTRO=ubuntu; MIRROR="${2:-http://archive.ubuntu.com/ubuntu}" ;;
  *) DISTRO=debian; MIRROR="${2:-http://deb.debian.org/debian}" ;;
esac
say() { printf 'check-bare-root: %s\n' "$*" >&2; }

[ "$(id -u)" -eq 0 ] || { say "needs root (debootstrap, chroot)"; exit 1; }
command -v debootstrap >/dev/null || { say "needs debootstrap (apt-get install debootstrap)"; exit 1; }

WORK="$(mktemp -d /var/tmp/sprout-bare-root.XXXXXX)"
BARE="$WORK/root"
RUN_PID=""
cleanup() {
  [ -n "$RUN_PID" ] && kill -- -"$RUN_PID" 2>/dev/null || true
  sleep 1
  # Anything still running inside the root goes too, then every mount in it (deepest first), then the files.
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$BARE" ] && kill -9 "${p#/proc/}" 2>/dev/null || true
  done
  awk -v b="$BARE" '$2 == b || index($2, b "/") == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

in_root() {
  # A newcomer's shell: none of this machine's environment, only what any Debian login has.
  chroot "$BARE" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 TERM=dumb ${EXTRA_ENV:-} "$@"
}

ubuntu_keyring() {
  # Debian ships Ubuntu's archive keys as the package ubuntu-keyring (trixie on); its file is taken from
  # Debian's index over HTTPS and its SHA-256 checked before the key inside is trusted.
  local index deb sum
  index=$(curl -fsS https://deb.debian.org/debian/dists/trixie/main/binary-all/Packages.xz | xz -dc |
    awk '/^Package: ubuntu-keyring$/{p=1} p&&/^Filename:/{f=$2} p&&/^SHA256:/{print f, $2; p=0}')
  deb=${index% *}; sum=${index#* }
  [ -n "$deb" ] || { say "ubuntu-keyring not found in Debian's index"; exit 1; }
  curl -fsS -o "$WORK/keyring.deb" "https://deb.debian.org/debian/$deb"
  echo "$sum  $WORK/keyring.deb" | sha256sum -c --quiet - || { say "ubuntu-keyring: checksum mismatch"; exit 1; }
  dpkg-deb -x "$WORK/keyring.deb" "$WORK/keyring"
  echo "$WORK/keyring/usr/share/keyrings/ubuntu-archive-keyring.gpg"
}

started=$(date +%s)
say "debootstrap --variant=minbase $SUITE (into $BARE)"
boot_args=(--variant=minbase "$SUITE" "$BARE" "$MIRROR")
if [ "$DISTRO" = ubuntu ]; then
  # debootstrap names Ubuntu's newer suites after the script they all share.
  boot_args=(--variant=minbase --keyring="$(ubuntu_keyring)" "$SUITE" "$BARE" "$MIRROR" /usr/share/debootstrap/scripts/gutsy)
fi
debootstrap "${boot_args[@]}" >"$WORK/debootstrap.log" 2>&1 || { tail -20 "$WORK/debootstrap.log" >&2; exit 1; }
if [ "$DISTRO" = ubuntu ]; then
  # An installed Ubuntu has universe and the updates pocket enabled; debootstrap leaves only main.
  printf 'deb %s %s main universe\ndeb %s %s-updates main universe\n' "$MIRROR" "$SUITE" "$MIRROR" "$SUITE" \
    >"$BARE/etc/apt/sources.list"
fi
cp /etc/resolv.conf "$BARE/etc/resolv.conf"
# The root is a mount point of its own, as / is on a real machine (`ip netns exec` needs that).
mount --bind "$BARE" "$BARE"
mount -t proc proc "$BARE/proc"
mount --rbind /sys "$BARE/sys"
mount --rbind /dev "$BARE/dev"

# Certificate authorities this host was given locally (a network that inspects TLS) are trusted inside too, or
# no package could be fetched over HTTPS; a plain host has none and this does nothing.
EXTRA_ENV=""
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$BARE/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$BARE/usr/local/share/ca-certificates/"
  EXTRA_ENV="PIP_CERT=/etc/ssl/certs/ca-certificates.crt"
fi

say "the newcomer's machine: python3 and git"
in_root apt-get update -q >"$WORK/apt.log" 2>&1
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3 git >>"$WORK/apt.log" 2>&1 || {
  tail -20 "$WORK/apt.log" >&2; exit 1; }
in_root update-ca-certificates >/dev/null 2>&1 || true

# The checkout as a newcomer gets it: a clone, in root's own 0700 home, with this work tree's files as they are
# (in CI's clean clone they are the commit's).
git clone -q --no-hardlinks "$ROOT" "$BARE/root/sprout"
(cd "$ROOT" && git ls-files -z -co --exclude-standard | tar --null -T - -cf -) | tar -xf - -C "$BARE/root/sprout"
chmod 0700 "$BARE/root"

say "1. an interrupted first try: python3 -m venv without python3-venv"
if in_root sh -c 'cd /root/sprout && python3 -m venv .venv' >"$WORK/venv.log" 2>&1; then
  say "python3 -m venv worked in a bare root: this root is not bare"; exit 1
fi
[ -d "$BARE/root/sprout/.venv" ] || { say "expected a half-made .venv"; exit 1; }

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
LINK_PORT=$(port)
DNS_PORT=$(port)
APP_PORT=$(port); MQTT_PORT=$(port); WS_PORT=$(port)
say "2. the run command: bash scripts/run.sh (link :$LINK_PORT, DNS :$DNS_PORT)"
setsid chroot "$BARE" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  LANG=C.UTF-8 TERM=dumb $EXTRA_ENV SPROUT_LINK_PORT="$LINK_PORT" SPROUT_DNS_PORT="$DNS_PORT" \
  SPROUT_APP_PORT="$APP_PORT" SPROUT_MQTT_PORT="$MQTT_PORT" SPROUT_WS_PORT="$WS_PORT" \
  sh -c 'cd /root/sprout && exec bash scripts/run.sh' >"$WORK/run.log" 2>&1 &
RUN_PID=$!
deadline=$(( $(date +%s) + 1200 ))
until grep -qs "Press Ctrl-C to stop" "$WORK/run.log"; do
  if ! kill -0 "$RUN_PID" 2>/dev/null || [ "$(date +%s)" -gt "$deadline" ]; then
    say "run.sh did not come up; its output:"; tail -40 "$WORK/run.log" >&2; exit 1
  fi
  sleep 2
done
grep -q "incomplete (an earlier set-up stopped half-way): making it again" "$WORK/run.log" || {
  say "run.sh did not say it rebuilt the half-made .venv"; cat "$WORK/run.log" >&2; exit 1; }

say "smoke test: the filter, the console, the agent's day"
blocked=$(in_root dig +short +time=3 @127.0.0.1 -p "$DNS_PORT" pornhub.com A)
case "$blocked" in
  0.0.0.0|127.*) ;;
  *) say "pornhub.com was not blocked by the demo's filter: '$blocked'"; exit 1 ;;
esac
in_root sh -c 'cd /root/sprout && .venv/bin/sprout-console --state .sprout-demo/console --lang en devices' \
  | tee "$WORK/devices.log" >&2
grep -q "." "$WORK/devices.log" && ! grep -q "^No devices" "$WORK/devices.log" || { say "the console has no paired PC"; exit 1; }
in_root sh -c 'cd /root/sprout && .venv/bin/sprout-agent status --state .sprout-demo/agent' >&2
# The phone app beside the console: run.sh installed mosquitto, started the family broker and the app's server.
phone_url=$(grep -oE "http://127\.0\.0\.1:[0-9]+/\?ws=ws://127\.0\.0\.1:[0-9]+/mqtt" "$WORK/run.log" | head -1)
[ -n "$phone_url" ] || { say "run.sh printed no phone app address"; tail -40 "$WORK/run.log" >&2; exit 1; }
in_root python3 - "$phone_url" <<'PY' >&2 || { say "the demo's phone app or its broker did not answer"; exit 1; }
import socket, sys, time, urllib.parse, urllib.request
url = sys.argv[1]
with urllib.request.urlopen(url, timeout=10) as page:
    body = page.read().decode()
    assert page.headers.get_content_type() == "text/html", page.headers
    assert "app.js" in body, body[:200]
ws = urllib.parse.urlsplit(urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["ws"][0])
for _ in range(50):  # the broker starts beside the agent; give it a few seconds
    try:
        socket.create_connection((ws.hostname, ws.port), timeout=10).close()
        break
    except ConnectionRefusedError:
        time.sleep(0.2)
else:
    raise SystemExit(f"nothing listens on the broker's WebSockets port {ws.port}")
print("phone app served at", url.split("?")[0], "and its broker listens on", ws.port)
PY
kill -- -"$RUN_PID" 2>/dev/null || true
wait "$RUN_PID" 2>/dev/null || true
RUN_PID=""

if [ "${SPROUT_BARE_TESTS:-0}" = 1 ]; then
  say "3. the test command: bash scripts/test.sh"
  # SPROUT_BARE_TEST_ARGS narrows the run to some tests (e.g. to look again at one that failed there).
  in_root sh -c "cd /root/sprout && bash scripts/test.sh -q -p no:cacheprovider ${SPROUT_BARE_TEST_ARGS:-}" \
    >"$WORK/test.log" 2>&1 || {
    cp "$WORK/test.log" /tmp/sprout-bare-root-tests.log
    rm -rf /tmp/sprout-bare-root-pytest && cp -r "$BARE/tmp/pytest-of-root" /tmp/sprout-bare-root-pytest 2>/dev/null || true
    say "the test command failed in the bare root (whole log: /tmp/sprout-bare-root-tests.log, the tests' files: /tmp/sprout-bare-root-pytest):"
    grep -E "^(FAILED|ERROR)|passed|failed" "$WORK/test.log" >&2
    tail -60 "$WORK/test.log" >&2; exit 1; }
  grep -E "^(SKIPPED|FAILED)|passed|failed" "$WORK/test.log" | tail -20 >&2
fi
say "passed in $(( $(date +%s) - started )) s"
