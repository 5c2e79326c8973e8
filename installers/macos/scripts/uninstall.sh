#!/bin/sh
# Remove Sprout from a Mac: needs the parent's PIN (`sprout-agent unlock`), a paired console's approval, or the
# device maker's token in SPROUT_UNINSTALL_TOKEN. Every attempt is reported to the parents.
#   sudo "/Library/Application Support/Sprout/uninstall.sh"
set -e
SUPPORT="/Library/Application Support/Sprout"
AGENT="$SUPPORT/sprout-agent/sprout-agent"
"$AGENT" unlock --check --action uninstall --state "$SUPPORT/state" || exit 1
launchctl bootout system/vn.sprout.agent 2>/dev/null || true
for uid in $(ps -axo uid=,comm= | awk '/sprout-companion/ {print $1}' | sort -u); do
    launchctl bootout "gui/$uid/vn.sprout.companion" 2>/dev/null || true
done
"$AGENT" system remove
profiles remove -identifier vn.sprout.browser-policies 2>/dev/null || true
rm -f /Library/LaunchDaemons/vn.sprout.agent.plist /Library/LaunchAgents/vn.sprout.companion.plist
rm -rf "/Applications/Sprout Console.app" "/Applications/Sprout Companion.app" "$SUPPORT" /Library/Logs/Sprout
pkgutil --forget vn.sprout.pkg >/dev/null 2>&1 || true
echo "Sprout removed / Đã gỡ Sprout"
