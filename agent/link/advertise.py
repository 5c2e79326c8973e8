"""Zeroconf advertisement of the link endpoint as `_sprout._tcp.local.` so a console on the LAN can find it.

The TXT record carries only the protocol version and the device ID: enough to match a pinned device, nothing
about the child.
"""

from __future__ import annotations

import socket

from zeroconf import ServiceInfo, Zeroconf

SERVICE_TYPE = "_sprout._tcp.local."


def service_info(device_id: str, name: str, host: str, port: int) -> ServiceInfo:
    label = "".join(c for c in (name or "sprout") if c.isalnum() or c in " -")[:40].strip() or "sprout"
    return ServiceInfo(SERVICE_TYPE, f"{label} {device_id[:7]}.{SERVICE_TYPE}",
                       addresses=[socket.inet_aton(host)], port=port,
                       properties={"v": "1", "id": device_id}, server=f"sprout-{device_id[:12].lower()}.local.")


class Advertiser:
    def __init__(self, info: ServiceInfo, interfaces: list[str] | None = None) -> None:
        self.info = info
        self.zc = Zeroconf(interfaces=interfaces) if interfaces else Zeroconf()
        self.zc.register_service(info, allow_name_change=True)

    def stop(self) -> None:
        try:
            self.zc.unregister_service(self.info)
        finally:
            self.zc.close()
