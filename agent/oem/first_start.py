"""The service's first start on a device maker's image: oem.toml becomes the default policy and the settings the
companion and console read (STATE/oem-policy.json, STATE/oem.json), once."""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path
from typing import Any

from agent.fileio import atomic_write_json
from agent.oem.config import build_policy, load_oem

FIRST_START_MARKER = "first-start.json"
OEM_POLICY = "oem-policy.json"


def first_start(state_dir: Path, config_path: Path | None = None) -> Path:
    """At the service's first start, turn oem.toml into STATE/oem-policy.json (the default policy, root-owned
    0644 as `run --policy` wants) and STATE/oem.json (brand, language, pairing-code choice, list source for the
    companion and console). Without oem.toml the policy is the service's own built-in default (ages 11–13 with
    the Vietnam game rule). Later starts change nothing. Returns the policy path."""
    state_dir = Path(state_dir)
    marker = state_dir / FIRST_START_MARKER
    policy_path = state_dir / OEM_POLICY
    if marker.exists() and policy_path.exists():
        return policy_path
    config = load_oem(config_path)
    state_dir.mkdir(parents=True, exist_ok=True)
    if config is not None:
        settings = {"brand_name": config.brand_name, "language": config.language,
                    "show_pairing_code": config.show_pairing_code, "list_source": config.list_source,
                    "list_public_key": base64.b64encode(config.list_public_key).decode()
                    if config.list_public_key else None, "logo": None,
                    "relay_broker": config.relay_broker, "relay_ca": config.relay_ca_pem}
        if config.logo:
            logo = state_dir / f"brand-logo{config.logo.suffix.lower()}"
            shutil.copyfile(config.logo, logo)
            os.chmod(logo, 0o644)
            settings["logo"] = logo.name
        _write(state_dir / "oem.json", settings, 0o644)
    policy = config.policy() if config else build_policy(12, ("vn-decree-147",), {})
    _write(policy_path, policy, 0o644)
    _write(marker, {"oem": str(config.source) if config else None}, 0o644)
    return policy_path


def _write(path: Path, doc: Any, mode: int) -> None:
    atomic_write_json(path, doc, mode, indent=2)
