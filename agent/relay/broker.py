"""`sprout-relay setup`: a family's own Mosquitto in one command (docs/relay.md, "Your own broker").

    sprout-relay setup /etc/sprout-relay --host relay.example.net --family nguyen \\
        --agent <child PC's device ID> --console <parent console's device ID>

makes (once) a family CA and the broker's TLS certificate for the given host names/addresses, one broker account per
device (username = its device ID, a random password), an ACL that confines every device to its own topics, and
mosquitto.conf; then writes one credential bundle per new device (bundles/<id>.json, mode 0600) to import on that
device (`sprout-agent relay import`, `sprout-console relay import`). Run it again to add devices or another family;
existing accounts keep their passwords. Start the broker with `mosquitto -c DIR/mosquitto.conf` (send it SIGHUP
after adding devices). The CA key never leaves DIR.

The ACL (one block per device):
    agent A:    read sprout/v1/A/in/+ and sprout/v1/A/pair; write sprout/v1/A/out/+; readwrite sprout/v1/A/presence
    console C:  for each agent A of C's family: write sprout/v1/A/in/C and sprout/v1/A/pair;
                read sprout/v1/A/out/C and sprout/v1/A/presence
so nobody reads another console's replies, and no device touches another family's topics.

Phones (docs/phone-linking.md): `--phones N` gives every console of the family N phone accounts ("slots": random
names shaped like device IDs, random passwords), written to bundles/<console>.phones.json for that console to import;
the console hands one, sealed, to each phone it links. A slot S of a family with agents A… may write
sprout/v1/A/in/S and read sprout/v1/A/out/S and sprout/v1/A/presence — nothing else (no pairing, no other topic).
`--retire-slot S` deletes a removed phone's account. Linking itself runs on sprout/v1/link/<locator>/{req,resp}
under the public account sprout-link (password sprout-link), which may only write req and read resp; consoles read
req and write resp.
A phone may also have an account named by its device ID (`--phone ID`): the same rules as a console (tests, and
families that provision phones by hand).

With `--ws-port` the broker also speaks MQTT over WebSockets for the parent's phone app (docs/relay.md, "The
parent's phone app"); `sprout-relay phone-app` serves the app's static files (resources/phone) on the same host.
TLS by default (the family's server certificate, or `--ws-cert/--ws-key` for a public
one a phone's browser trusts without installing the family CA); plain `ws://` only on a loopback address.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import ipaddress
import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from agent.fileio import atomic_write
from agent.os.account import ACCOUNT, user_by_name
from agent.protocol import phone_link, relay
from agent.protocol.devid import parse_device_id
from agent.protocol.errors import ProtocolError

FAMILIES = "families.json"
CERT_DAYS = 3650


class SetupError(Exception):
    """One line: what, where, why."""


def _write(path: Path, data: bytes | str, mode: int = 0o600) -> None:
    atomic_write(path, data.encode() if isinstance(data, str) else data, mode)


def _make_ca_and_server(folder: Path, hosts: list[str]) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    later = now + dt.timedelta(days=CERT_DAYS)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Sprout family relay CA " + secrets.token_hex(4))])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(later)
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = []
    for h in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(h)))
        except ValueError:
            names.append(x509.DNSName(h))
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(later)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    plain = serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    _write(folder / "ca.key", ca_key.private_bytes(pem, *plain))
    _write(folder / "ca.crt", ca.public_bytes(pem), 0o644)
    _write(folder / "server.key", key.private_bytes(pem, *plain))
    _write(folder / "server.crt", cert.public_bytes(pem), 0o644)


def acl_text(families: dict[str, dict[str, Any]]) -> str:
    link = f"{relay.ROOT}/link/+"
    lines = ["# written by sprout-relay setup: one block per device (docs/relay.md)", "",
             "# phone linking: the public link account writes requests and reads answers, nothing else",
             f"user {phone_link.LINK_ACCOUNT}", f"topic write {link}/req", f"topic read {link}/resp", ""]
    for name in sorted(families):
        fam = families[name]
        for a in fam["agents"]:
            lines += [f"# family {name}: agent", f"user {a}", f"topic read {relay.ROOT}/{a}/in/+",
                      f"topic read {relay.pair_topic(a)}", f"topic write {relay.ROOT}/{a}/out/+",
                      f"topic readwrite {relay.presence_topic(a)}", ""]
        for c in fam["consoles"]:
            lines += [f"# family {name}: console", f"user {c}"]
            for a in fam["agents"]:
                lines += [f"topic write {relay.in_topic(a, c)}", f"topic write {relay.pair_topic(a)}",
                          f"topic read {relay.out_topic(a, c)}", f"topic read {relay.presence_topic(a)}"]
            # the family's phones leave their push subscriptions here, sealed (app/phone_push.py)
            lines += [f"topic read {relay.in_topic(c, '+')}"]
            lines += [f"topic read {link}/req", f"topic write {link}/resp", ""]
        for c, slots in sorted(fam.get("phone_slots", {}).items()):
            for slot in slots:
                lines += [f"# family {name}: phone slot of console {c[:13]}", f"user {slot}"]
                for a in fam["agents"]:
                    lines += [f"topic write {relay.in_topic(a, slot)}", f"topic read {relay.out_topic(a, slot)}",
                              f"topic read {relay.presence_topic(a)}"]
                lines += [f"topic write {relay.in_topic(c, slot)}"]  # to its own console: the push subscription
                lines.append("")
    return "\n".join(lines)


def ws_lines(folder: Path, ws: dict[str, Any]) -> list[str]:
    """The WebSockets listener: MQTT for the phone app. Not its files: Mosquitto 2.0's http_dir sends no
    Content-Type, and a browser registers a service worker (the offline shell) only from a JavaScript MIME type, so
    `sprout-relay phone-app` (agent/relay/phone_app.py) serves them beside it."""
    lines = [f"listener {ws['port']} {ws['listen']}", "protocol websockets"]
    if ws.get("tls", True):
        lines += [f"certfile {ws.get('cert') or folder / 'server.crt'}",
                  f"keyfile {ws.get('key') or folder / 'server.key'}", "tls_version tlsv1.2"]
    return lines


def conf_text(folder: Path, listen: str, port: int, run_as: str, ws: dict[str, Any] | None = None) -> str:
    lines = [
        "# written by sprout-relay setup",
        "per_listener_settings false",
        "allow_anonymous false",
        f"password_file {folder / 'passwd'}",
        f"acl_file {folder / 'acl'}",
        "persistence true",
        f"persistence_location {folder / 'data'}/",
        "log_type error",
        "log_type warning",
        "log_type notice",
        "max_packet_size 1100000",  # one envelope is at most 1 MiB (agent.protocol.envelope)
        "max_queued_messages 1000",
        "set_tcp_nodelay true",  # small request/reply messages: Nagle + delayed ACK would add ~40 ms each way
        f"user {run_as}",
        f"listener {port} {listen}",
        f"cafile {folder / 'ca.crt'}",
        f"certfile {folder / 'server.crt'}",
        f"keyfile {folder / 'server.key'}",
        "tls_version tlsv1.2",
    ]
    if ws:
        lines += ws_lines(folder, ws)
    return "\n".join(lines) + "\n"


def _device(text: str, option: str) -> str:
    try:
        return parse_device_id(text)
    except ProtocolError as exc:
        raise SetupError(f"{option} {text}: {exc.reason}") from None


def _set_password(folder: Path, user: str, password: str) -> None:
    tool = shutil.which("mosquitto_passwd")
    if tool is None:
        raise SetupError("mosquitto_passwd not found: install the Debian package mosquitto")
    path = folder / "passwd"
    args = [tool, "-b", str(path), user, password]
    if not path.exists():
        args.insert(1, "-c")
    done = subprocess.run(args, capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise SetupError(f"{path}: mosquitto_passwd failed: {done.stderr.strip()[:200]}")
    os.chmod(path, 0o600)


def _delete_account(folder: Path, user: str) -> None:
    tool = shutil.which("mosquitto_passwd")
    if tool is None:
        raise SetupError("mosquitto_passwd not found: install the Debian package mosquitto")
    done = subprocess.run([tool, "-D", str(folder / "passwd"), user], capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise SetupError(f"{folder / 'passwd'}: mosquitto_passwd -D failed: {done.stderr.strip()[:200]}")


def _phone_slots(folder: Path, fam: dict[str, Any], meta: dict[str, Any], ca_pem: str, family: str,
                 wanted: int, retire: list[str]) -> dict[str, Path]:
    """Give every console of the family `wanted` phone accounts; retire the named ones. {console: bundle path}."""
    slots: dict[str, list[str]] = fam.setdefault("phone_slots", {})
    for name in retire:
        owner = next((c for c, names in slots.items() if name in names), None)
        if owner is None:
            raise SetupError(f"--retire-slot {name[:13]}…: no phone account of family {family!r} has that name")
        _delete_account(folder, name)
        slots[owner].remove(name)
        fam.setdefault("retired_slots", []).append(name)
    written: dict[str, Path] = {}
    for console in fam["consoles"] if wanted else []:
        have = slots.setdefault(console, [])
        new = []
        while len(have) + len(new) < wanted:
            new.append({"username": phone_link.b32_slot_name(), "password": secrets.token_urlsafe(24)})
        if not new:
            continue
        for slot in new:
            _set_password(folder, slot["username"], slot["password"])
        have.extend(s["username"] for s in new)
        path = folder / "bundles" / f"{console}.phones.json"
        try:
            old = json.loads(path.read_text()).get("phone_slots", []) if path.exists() else []
        except ValueError:
            old = []
        bundle = {"broker": meta["broker"], "ca": ca_pem, "family": family, "console": console,
                  "phone_slots": [s for s in old if s.get("username") in have] + new}
        _write(path, json.dumps(bundle, indent=1))
        written[console] = path
    return written


def _ws_settings(ws_port: int | None, listen: str, tls: bool, cert: Path | None, key: Path | None,
                 before: dict[str, Any] | None) -> dict[str, Any] | None:
    if ws_port is None:
        return before  # a later run that does not mention WebSockets keeps what an earlier one set
    if not 0 < ws_port < 65536:
        raise SetupError(f"--ws-port {ws_port}: use a port from 1 to 65535")
    if not tls:
        try:
            loopback = ipaddress.ip_address(listen).is_loopback
        except ValueError:
            loopback = listen == "localhost"
        if not loopback:
            raise SetupError(f"--ws-plain: plain ws:// only on a loopback address, not {listen!r} (a phone's "
                             "password would cross the network in the clear)")
    if (cert is None) != (key is None):
        raise SetupError("--ws-cert and --ws-key go together")
    for option, path in (("--ws-cert", cert), ("--ws-key", key)):
        if path is not None and not Path(path).is_file():
            raise SetupError(f"{option} {path}: no such file")
    return {"port": ws_port, "listen": listen, "tls": tls, "cert": str(Path(cert).resolve()) if cert else None,
            "key": str(Path(key).resolve()) if key else None}


def ws_url(meta: dict[str, Any]) -> str | None:
    """The address a phone's browser connects to (and opens the app at), or None without a WebSockets listener."""
    ws = meta.get("ws")
    if not ws:
        return None
    host = relay.parse_broker(meta["broker"])[0]
    host = f"[{host}]" if ":" in host else host
    return f"{'wss' if ws.get('tls', True) else 'ws'}://{host}:{ws['port']}/mqtt"


def setup(folder: Path, *, hosts: list[str], family: str, agents: list[str], consoles: list[str],
          port: int = relay.DEFAULT_PORT, listen: str = "0.0.0.0", run_as: str | None = None, phones: int = 0,
          retire_slots: list[str] = (), phone_ids: list[str] = (),  # type: ignore[assignment]
          ws_port: int | None = None, ws_tls: bool = True, ws_cert: Path | None = None,
          ws_key: Path | None = None) -> dict[str, Path]:
    """Create or extend the broker folder; return {device ID: bundle path} for devices added now."""
    folder = Path(folder).resolve()
    consoles = list(consoles) + list(phone_ids)  # a phone has a console's topics and rules (docs/relay.md)
    if not family or not family.replace("-", "").replace("_", "").isalnum():
        raise SetupError(f"--family {family!r}: use letters, digits, - and _")
    agents = [_device(a, "--agent") for a in agents]
    consoles = [_device(c, "--console") for c in consoles]
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    (folder / "data").mkdir(exist_ok=True, mode=0o700)
    (folder / "bundles").mkdir(exist_ok=True, mode=0o700)
    if not (folder / "ca.key").exists():
        if not hosts:
            raise SetupError("--host: name at least one host name or address the devices will use")
        _make_ca_and_server(folder, hosts)
    fam_path = folder / FAMILIES
    try:
        families: dict[str, Any] = json.loads(fam_path.read_text()) if fam_path.exists() else {}
    except ValueError:
        raise SetupError(f"{fam_path}: not JSON; fix or remove it") from None
    known = {d: n for n, f in families.items() if n != "_meta" for d in f["agents"] + f["consoles"]}
    for d in agents + consoles:
        if known.get(d, family) != family:
            raise SetupError(f"device {d[:13]}…: already belongs to family {known[d]!r}; one account, one family")
    fam = families.setdefault(family, {"agents": [], "consoles": []})
    ca_pem = (folder / "ca.crt").read_text()
    meta = families.setdefault("_meta", {})
    if hosts:
        meta["broker"] = f"{hosts[0]}:{port}"
    if not meta.get("broker"):
        raise SetupError(f"{fam_path}: no broker address recorded; give --host")
    ws = _ws_settings(ws_port, listen, ws_tls, ws_cert, ws_key, meta.get("ws"))
    if ws:
        meta["ws"] = ws
    written: dict[str, Path] = {}
    for role, ids in (("agents", agents), ("consoles", consoles)):
        for d in ids:
            if d in fam[role]:
                continue
            password = secrets.token_urlsafe(24)
            _set_password(folder, d, password)
            fam[role].append(d)
            bundle = {"broker": meta["broker"], "ca": ca_pem, "username": d, "password": password, "family": family}
            if ws_url(meta):
                bundle["ws"] = ws_url(meta)  # the phone app's way in (MQTT over WebSockets)
            path = folder / "bundles" / f"{d}.json"
            _write(path, json.dumps(bundle, indent=1))
            written[d] = path
    if not (folder / "passwd").exists():
        raise SetupError("no device yet: name at least one --agent or --console")
    written.update({f"phones of {c}": p for c, p in _phone_slots(folder, fam, meta, ca_pem, family, phones,
                                                                  list(retire_slots)).items()})
    if fam["consoles"]:
        _set_password(folder, phone_link.LINK_ACCOUNT, phone_link.LINK_PASSWORD)  # public on purpose: see above
    real = {n: f for n, f in families.items() if n != "_meta"}
    _write(folder / "acl", acl_text(real), 0o600)
    _write(fam_path, json.dumps(families, indent=1))
    user = run_as or getpass.getuser()
    _write(folder / "mosquitto.conf", conf_text(folder, listen, port, user, meta.get("ws")), 0o600)
    if user != getpass.getuser() and ACCOUNT.is_superuser():
        pw = user_by_name(user)
        if pw is None:
            raise SetupError(f"--run-as {user!r}: no such account on this machine")
        for p in [folder, folder / "data", *(folder / n for n in ("acl", "passwd", "server.key", "mosquitto.conf"))]:
            os.chown(p, pw.uid, pw.gid)
    return written


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["phone-app"]:
        from agent.relay.phone_app import main as phone_app

        return phone_app(argv[1:])
    p = argparse.ArgumentParser(prog="sprout-relay", description="a family's own MQTT relay broker (Mosquitto)")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("setup", help="make or extend a broker folder: TLS, one account per device, ACLs")
    sub.add_parser("phone-app", help="serve the parent's phone app (sprout-relay phone-app --help)")
    s.add_argument("folder", type=Path)
    s.add_argument("--host", action="append", default=[], help="name or address devices use (repeatable)")
    s.add_argument("--port", type=int, default=relay.DEFAULT_PORT)
    s.add_argument("--listen", default="0.0.0.0")
    s.add_argument("--family", required=True)
    s.add_argument("--agent", action="append", default=[], help="a child PC's device ID (repeatable)")
    s.add_argument("--console", action="append", default=[], help="a parent console's device ID (repeatable)")
    s.add_argument("--phone", action="append", default=[], help="a linked phone's device ID (repeatable)")
    s.add_argument("--run-as", help="the account mosquitto drops to (default: the current one)")
    s.add_argument("--phones", type=int, default=0, metavar="N",
                   help="give every console of the family N accounts for linked phones (docs/phone-linking.md)")
    s.add_argument("--retire-slot", action="append", default=[], metavar="ACCOUNT",
                   help="delete the broker account of a removed phone (sprout-console phone remove prints it)")
    s.add_argument("--ws-port", type=int, help="also speak MQTT over WebSockets here and serve the phone app")
    s.add_argument("--ws-cert", type=Path, help="a public certificate (chain) for the WebSockets listener")
    s.add_argument("--ws-key", type=Path, help="its private key")
    s.add_argument("--ws-plain", action="store_true", help="plain ws:// (loopback addresses only: a demo, tests)")
    args = p.parse_args(argv)
    try:
        written = setup(args.folder, hosts=args.host, family=args.family, agents=args.agent, consoles=args.console,
                        port=args.port, listen=args.listen, run_as=args.run_as, phones=args.phones,
                        retire_slots=args.retire_slot, phone_ids=args.phone, ws_port=args.ws_port,
                        ws_tls=not args.ws_plain, ws_cert=args.ws_cert, ws_key=args.ws_key)
    except (SetupError, relay.RelayError) as exc:
        print(f"sprout-relay setup: {exc}", file=sys.stderr)
        return 2
    for device, path in written.items():
        print(f"bundle for {device[:22]}…: {path}")
    print(f"start: mosquitto -c {args.folder.resolve() / 'mosquitto.conf'}  (already running: send it SIGHUP)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
