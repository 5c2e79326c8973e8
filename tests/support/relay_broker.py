"""A real Mosquitto for tests: set up by `sprout-relay setup` in a temp folder, on a free loopback port, started and
stopped by the test only (never the system's mosquitto service)."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

from agent.protocol import relay
from agent.relay.broker import setup

MOSQUITTO = shutil.which("mosquitto") or ("/usr/sbin/mosquitto" if Path("/usr/sbin/mosquitto").exists() else None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Broker:
    def __init__(self, folder: Path, listen: str = "127.0.0.1", host: str = "127.0.0.1") -> None:
        self.folder = Path(folder)
        self.listen = listen
        self.host = host
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log = self.folder.parent / f"{self.folder.name}.log"

    def add(self, family: str, agents: list[str] = (), consoles: list[str] = (),  # type: ignore[assignment]
            **more: object) -> dict[str, Path]:
        return setup(self.folder, hosts=[self.host], family=family, agents=list(agents), consoles=list(consoles),
                     port=self.port, listen=self.listen, **more)  # type: ignore[arg-type]

    def operator(self) -> relay.RelaySettings:
        """An account that reads everything (`#`): what the broker's operator sees. Call after add(), before start()."""
        from agent.relay.broker import _set_password

        _set_password(self.folder, "operator", "operator-password")
        with open(self.folder / "acl", "a") as acl:
            acl.write("\n# the test's view of the broker operator\nuser operator\ntopic read #\n")
        return relay.RelaySettings(f"{self.host}:{self.port}", (self.folder / "ca.crt").read_text(), "operator",
                                   "operator-password")

    def bundle(self, device: str) -> relay.RelaySettings:
        return relay.load_bundle(self.folder / "bundles" / f"{device}.json")

    def _repoint(self, port: int) -> None:
        """The port was taken between choosing and binding: move the conf and the bundles to another one."""
        conf = self.folder / "mosquitto.conf"
        # only the first listener (MQTT over TLS); a WebSockets listener keeps its own port
        conf.write_text(re.sub(r"^listener \d+ ", f"listener {port} ", conf.read_text(), count=1, flags=re.M))
        for path in (self.folder / "bundles").glob("*.json"):
            data = json.loads(path.read_text())
            data["broker"] = f"{self.host}:{port}"
            path.write_text(json.dumps(data))
        self.port = port

    def start(self) -> Broker:
        assert MOSQUITTO, "mosquitto is not installed (scripts/debian-packages.txt)"
        for attempt in range(5):
            log = open(self.log, "a")  # noqa: SIM115 - mosquitto writes to it for its whole life
            self.proc = subprocess.Popen([MOSQUITTO, "-c", str(self.folder / "mosquitto.conf")], stdout=log,
                                         stderr=subprocess.STDOUT)
            log.close()
            deadline = time.monotonic() + 20
            # every listener of the config (MQTT, and WebSockets for the phone app, which mosquitto opens later)
            waiting = {(self.listen, self.port), *self._listeners()}
            while time.monotonic() < deadline and self.proc.poll() is None:
                for address in list(waiting):
                    with contextlib.suppress(OSError), socket.create_connection(address, timeout=1):
                        waiting.discard(address)
                if not waiting:
                    return self
                time.sleep(0.05)
            self.stop()
            if attempt < 4:
                self._repoint(free_port())
        raise AssertionError("mosquitto did not start: " + self.log.read_text()[-2000:])

    def _listeners(self) -> set[tuple[str, int]]:
        conf = (self.folder / "mosquitto.conf").read_text()
        return {(host, int(port)) for port, host in re.findall(r"^listener (\d+) (\S+)$", conf, re.M)}

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()

