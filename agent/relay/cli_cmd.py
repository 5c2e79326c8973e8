"""`sprout-agent relay`: this PC's device ID (for the broker set-up), importing its broker credential bundle."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from agent.errors import CliError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("relay", help="reach parents away from home through the family's broker / kết nối từ xa")
    p.add_argument("action", choices=("id", "import", "show"),
                   help="id: this PC's device ID; import BUNDLE: the credential from sprout-relay setup; show")
    p.add_argument("bundle", nargs="?", type=Path)
    p.add_argument("--state", type=Path, help="state folder (default: /var/lib/sprout, or the user data dir)")
    p.add_argument("--user-mode", action="store_true", help="use the current user's state folder")
    p.add_argument("--key-file-fallback", action="store_true", help="keep secrets in 0600 files without a keyring")
    p.set_defaults(func=_relay)


def _relay(args: argparse.Namespace) -> int:
    from agent.assembly import open_vault
    from agent.link.cli_cmd import _default_state
    from agent.protocol import relay
    from agent.protocol.identity import Identity
    from agent.relay.bridge import SETTINGS_FILE, save_settings
    from agent.store.keys import KEY_DIR_NAME

    state_dir = args.state or _default_state(args.user_mode)
    if args.action == "show":
        path = state_dir / SETTINGS_FILE
        if not path.exists():
            print("Chưa có máy chủ chuyển tiếp / No relay: this PC is reached on the LAN only.")
            return 0
        data = json.loads(path.read_text(encoding="utf-8"))
        print(f"broker {data.get('broker')}  family {data.get('family')}  account {str(data.get('username'))[:13]}…")
        return 0
    try:
        # the same custody the service chose (agent.service.cli_status): a key folder there means key files
        file_custody = args.key_file_fallback or args.user_mode or (state_dir / KEY_DIR_NAME).is_dir()
        vault = open_vault(state_dir, file_fallback=file_custody)
    except Exception as exc:
        raise CliError(f"keys: {exc}") from None
    identity = Identity.from_vault(vault)
    if args.action == "id":
        print(identity.device_id)
        return 0
    if args.bundle is None:
        raise CliError("import: name the bundle file written by sprout-relay setup")
    try:
        data = json.loads(args.bundle.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CliError(f"{args.bundle}: cannot read: {exc.strerror}") from None
    except ValueError:
        raise CliError(f"{args.bundle}: not JSON") from None
    if isinstance(data, dict):  # a device maker's provisioning may issue the account only: oem.toml says where
        from agent.assembly import oem_settings

        oem = oem_settings(state_dir)
        data.setdefault("broker", oem.get("relay_broker"))
        data.setdefault("ca", oem.get("relay_ca"))
    try:
        settings = relay.parse_bundle(data, str(args.bundle))
    except relay.RelayError as exc:
        raise CliError(exc.reason) from None
    if settings.username != identity.device_id:
        raise CliError(f"{args.bundle}: this bundle is for device {settings.username[:13]}…, not this PC "
                       f"({identity.device_id[:13]}…)")
    save_settings(state_dir, vault, settings)
    print(f"Đã lưu / Saved: broker {settings.broker} (restart the agent to use it)")
    return 0
