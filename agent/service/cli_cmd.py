"""`sprout-agent run`: the enforcement service (system service, or --user-mode for one user without root)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from agent.errors import CliError
from agent.os.account import ACCOUNT, user_by_name


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run the agent: count time, warn, enforce, filter the web, talk to parents")
    p.add_argument("--user-mode", action="store_true",
                   help="run as the current user without root (the demo and tests): counts this user's apps")
    p.add_argument("--state", type=Path, help="state folder (default: /var/lib/sprout, or the user data dir)")
    p.add_argument("--policy", type=Path, help="a policy file to apply if it is newer than the stored one")
    p.add_argument("--child-uid", type=int, help="the child's OS user id (user mode default: the current user)")
    p.add_argument("--child-user", metavar="NAME", help="the child's OS account name (instead of --child-uid)")
    p.add_argument("--socket", type=Path,
                   help="companion socket (default: STATE/companion.sock in user mode, /run/sprout/ as a service)")
    p.add_argument("--no-companion-socket", action="store_true", help="do not open the companion channel")
    p.add_argument("--link", metavar="HOST:PORT", help="serve paired parent consoles here (e.g. 0.0.0.0:47800)")
    p.add_argument("--dns", metavar="HOST:PORT", help="run the DNS filter here (e.g. 127.0.0.1:47853)")
    p.add_argument("--upstream", action="append", default=[], metavar="IP:PORT", help="DNS upstream (repeatable)")
    p.add_argument("--blockpage", metavar="HOST:PORT",
                   help="serve the block page here (default: 127.0.0.1:80 as a service, a free port in user mode)")
    p.add_argument("--time-server", action="append", default=[], metavar="HOST[:PORT]",
                   help="SNTP server asked after a reboot before a new day opens (repeatable; default: public pools)")
    p.add_argument("--tick", type=float, default=1.0, help=argparse.SUPPRESS)
    p.add_argument("--save-every", type=float, default=15.0, help="seconds between saves (at most 30)")
    p.add_argument("--lang", choices=("vi", "en"), help="the child's language (default: the device maker's, else vi)")
    p.add_argument("--capture-devices", type=Path, metavar="DIR",
                   help="where camera and microphone device files are (default: /dev)")
    p.add_argument("--capture-every", type=float, default=3.0, help=argparse.SUPPRESS)
    p.add_argument("--key-file-fallback", action="store_true",
                   help="allow a key file readable only by the service account when no OS keyring works")
    p.set_defaults(func=_run)


def _default_state(user_mode: bool) -> Path:
    if not user_mode:
        return Path("/var/lib/sprout")
    import platformdirs

    return Path(platformdirs.user_data_dir("sprout-agent", appauthor=False))


def _run(args: argparse.Namespace) -> int:
    from agent.assembly import ServiceOptions, serve
    from agent.policy import PolicyError

    if not args.user_mode and ACCOUNT.is_superuser() is False:
        # the packaged unit runs as the `sprout` account with AmbientCapabilities instead of uid 0
        from agent.os.capabilities import missing_for_service

        missing = missing_for_service()
        if missing:
            raise CliError(f"the service needs root or the capabilities {', '.join(missing)} (missing); "
                           "use --user-mode to run for the current user only")
    if not 0 < args.save_every <= 30:
        raise CliError("--save-every: must be between 0 and 30 seconds")
    if not 0.05 <= args.tick <= 5:
        raise CliError("--tick: must be between 0.05 and 5 seconds")
    if not 0.2 <= args.capture_every <= 60:
        raise CliError("--capture-every: must be between 0.2 and 60 seconds")
    if args.capture_devices is not None and not args.capture_devices.is_dir():
        raise CliError(f"--capture-devices {args.capture_devices}: not a folder")
    if args.dns:
        from agent.dns.upstream import parse_hostport

        try:
            parse_hostport(args.dns, 53, "--dns", any_port=True)  # port 0: the system picks (tests)
            for up in args.upstream:
                parse_hostport(up, 53, "--upstream")
        except ValueError as exc:
            raise CliError(str(exc)) from None
    state = args.state or _default_state(args.user_mode)
    child_uid = args.child_uid
    if args.child_user:
        found = user_by_name(args.child_user)
        if found is None:
            raise CliError(f"--child-user {args.child_user!r}: no such account on this PC")
        child_uid = found.uid
    if not args.user_mode and child_uid is None:
        # A PC fresh from its maker, or a family that has not made the child's account yet: run without one
        # (agent/service/child_account.py) rather than fail and be restarted forever.
        print("sprout-agent: no child account chosen yet: the web filter and pairing run, time is not counted; "
              "name it with `sudo sprout-agent set-child NAME`", file=sys.stderr, flush=True)
    # As a service the socket lives in /run (0711, so the child can reach it), never in the state folder.
    default_socket = state / "companion.sock" if args.user_mode else Path("/run/sprout/companion.sock")
    socket = None if args.no_companion_socket else (args.socket or default_socket)
    opts = ServiceOptions(state_dir=state, user_mode=args.user_mode, policy_file=args.policy,
                          child_uid=child_uid, tick_s=args.tick, save_every_s=args.save_every,
                          socket_path=socket, link_listen=args.link, dns_listen=args.dns,
                          dns_upstreams=args.upstream, blockpage_listen=args.blockpage, lang=args.lang,
                          key_file_fallback=args.key_file_fallback,
                          time_servers=args.time_server, capture_device_root=args.capture_devices,
                          capture_every_s=args.capture_every)
    try:
        return serve(opts)
    except PolicyError as exc:
        raise CliError(f"{exc}") from None
