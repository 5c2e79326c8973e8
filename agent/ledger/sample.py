"""What the agent saw in one tick, already classified."""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.ledger.clock import Instant

GAME_KINDS = frozenset({"game", "emulator"})


@dataclass(frozen=True)
class AppRef:
    id: str  # catalog id ("minecraft") or the lower-case executable name without extension
    kind: str  # game | emulator | launcher | app | school | browser | system
    name: str = ""  # the executable name as seen
    pid: int | None = None

    @property
    def is_game(self) -> bool:
        return self.kind in GAME_KINDS


@dataclass(frozen=True)
class Sample:
    at: Instant
    foreground: AppRef | None = None
    running: tuple[AppRef, ...] = field(default_factory=tuple)
    idle: bool = False  # no keyboard or mouse input for the idle threshold
    locked: bool = False  # locked by a source the child cannot set (the session left its seat, the OS lock API)
    foreground_known: bool = True  # False where the desktop cannot tell (Wayland): running games then count
    # The session *says* it is locked (logind's LockedHint, which the session's owner may write): never believed
    # on its own; compared with what the agent sees, a disagreement is a tamper event.
    lock_claimed: bool = False
    # Media (a video, music) is playing for the child (agent/os/media.py): watching needs no input, so idleness
    # does not pause screen time while it plays. Locked and asleep still are never charged.
    media_playing: bool = False
