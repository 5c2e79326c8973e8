#!/usr/bin/env bash
# Sets up and runs Sprout on this one machine as a "this PC" family:
#   the agent in user mode (time limits, the parent link on 127.0.0.1:47800, the DNS filter on 127.0.0.1:47853),
#   the child's companion, and the parent console, already paired; with mosquitto installed, a local family broker
#   and the parent's phone app (its address is printed). Ctrl-C (or closing the console) stops it all.
# State lives in .sprout-demo/ (delete it to start over). Try:  dig @127.0.0.1 -p 47853 pornhub.com
source "$(dirname "$0")/lib.sh"
sprout_system_packages run
sprout_venv dev,gui
DEMO="${SPROUT_DEMO_DIR:-$ROOT/.sprout-demo}"
AGENT_STATE="$DEMO/agent"
CONSOLE_STATE="$DEMO/console"
LINK="127.0.0.1:${SPROUT_LINK_PORT:-47800}"
DNS="127.0.0.1:${SPROUT_DNS_PORT:-47853}"
BIN="$VENV/bin"
mkdir -p "$DEMO"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# The parent's phone app beside the console: a local family broker (MQTT over TLS, and over WebSockets for the
# phone; loopback only) and the app's own files, when Debian's mosquitto is installed (docs/relay.md).
MOSQUITTO="$(command -v mosquitto || { [ -x /usr/sbin/mosquitto ] && echo /usr/sbin/mosquitto; } || true)"
PHONE_URL=""
if [ -n "$MOSQUITTO" ]; then
  RELAY="$DEMO/relay"
  if [ ! -f "$RELAY/families.json" ]; then
    agent_id=$("$BIN/sprout-agent" relay id --user-mode --state "$AGENT_STATE")
    console_id=$("$BIN/sprout-console" --state "$CONSOLE_STATE" relay id 2>/dev/null)
    # the console's account and two phone accounts, so the console can link the parent's phone (phone-linking.md)
    "$BIN/sprout-relay" setup "$RELAY" --host 127.0.0.1 --listen 127.0.0.1 --port "${SPROUT_MQTT_PORT:-47881}" \
      --family demo --agent "$agent_id" --console "$console_id" --phones 2 \
      --ws-port "${SPROUT_WS_PORT:-47882}" --ws-plain >/dev/null
    "$BIN/sprout-agent" relay import "$RELAY/bundles/$agent_id.json" --user-mode --state "$AGENT_STATE" >/dev/null
    for bundle in "$console_id.json" "$console_id.phones.json"; do
      "$BIN/sprout-console" --state "$CONSOLE_STATE" relay import "$RELAY/bundles/$bundle" >/dev/null 2>&1
    done
  fi
  "$MOSQUITTO" -c "$RELAY/mosquitto.conf" >>"$DEMO/relay.log" 2>&1 &
  pids+=($!)
  "$BIN/sprout-relay" phone-app --listen 127.0.0.1 --port "${SPROUT_APP_PORT:-47880}" >>"$DEMO/phone-app.log" 2>&1 &
  pids+=($!)
  PHONE_URL="http://127.0.0.1:${SPROUT_APP_PORT:-47880}/?ws=ws://127.0.0.1:${SPROUT_WS_PORT:-47882}/mqtt"
fi

rm -f "$AGENT_STATE/link.address"
"$BIN/sprout-agent" run --user-mode --state "$AGENT_STATE" --link "$LINK" --dns "$DNS" --lang vi \
  2>>"$DEMO/agent.log" &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$AGENT_STATE/link.address" ] && break; sleep 0.2; done
[ -s "$AGENT_STATE/link.address" ] || { echo "the agent did not start; see $DEMO/agent.log" >&2; tail -20 "$DEMO/agent.log" >&2; exit 1; }
echo "Agent running (log: $DEMO/agent.log); DNS filter on $DNS, parent link on $LINK"

if "$BIN/sprout-console" --state "$CONSOLE_STATE" --lang en devices 2>/dev/null | grep -q "^No devices"; then
  code=$("$BIN/sprout-agent" pair --user-mode --state "$AGENT_STATE" | grep -oE '[0-9A-Z]{4}-[0-9A-Z]{4}' | head -1)
  "$BIN/sprout-console" --state "$CONSOLE_STATE" --name "Bố mẹ" pair --code "$code" --host "$LINK"
  device=$("$BIN/sprout-console" --state "$CONSOLE_STATE" --lang en devices | awk 'NR==1 {print $1}')
  # What the first-run wizard asks, answered for the demo; change the PIN in the console's Settings.
  echo "${SPROUT_DEMO_PIN:-1234}" | "$BIN/sprout-console" --state "$CONSOLE_STATE" setup --pin-stdin \
    --child "Con" --birth-year "$(( $(date +%Y) - 12 ))" --device "$device"
  echo "Demo parent PIN: ${SPROUT_DEMO_PIN:-1234}"
fi
"$BIN/sprout-console" --state "$CONSOLE_STATE" devices
if [ -n "$PHONE_URL" ]; then
  echo "The parent's phone app: $PHONE_URL  (open it in a browser beside the console; Chromium's device toolbar"
  echo "  shows it phone-sized; the family broker for it: $DEMO/relay, log $DEMO/relay.log)"
  echo "  Link it: console Settings → Link a phone… (or $BIN/sprout-console --state $CONSOLE_STATE phone link),"
  echo "  then type the code it shows under \"Or type the 16-character code\" in the app."
else
  echo "The parent's phone app needs a family broker: install Debian's mosquitto and run this again."
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No desktop display here (no DISPLAY or WAYLAND_DISPLAY): the companion and console windows need one."
  echo "The agent keeps running. From another terminal:"
  echo "  $BIN/sprout-agent ask 20 --socket $AGENT_STATE/companion.sock      # the child asks for time"
  echo "  $BIN/sprout-console --state $CONSOLE_STATE requests                  # the parent sees it"
  echo "  dig @127.0.0.1 -p ${DNS##*:} pornhub.com                              # the web filter answers"
  echo "Press Ctrl-C to stop."
  wait "${pids[0]}"
  exit 0
fi
"$BIN/sprout-agent" companion --socket "$AGENT_STATE/companion.sock" 2>>"$DEMO/companion.log" &
pids+=($!)
"$BIN/sprout-console" --state "$CONSOLE_STATE" gui
