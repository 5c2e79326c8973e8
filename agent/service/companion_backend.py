"""What the service offers the child's companion, as a Protocol: the local channel (agent.service.local_ipc)
calls these methods and sends their results to the companion as JSON. No Qt here, no sockets here.

The service's core implements this; tests use an in-memory FakeBackend. Every value must be JSON-serialisable.

Optional (looked up with getattr, so backends without them still fit the Protocol):

- wait_notices(cursor, timeout) — block until a notice newer than cursor exists (else the channel polls).
- brand_logo() -> agent.oem.BrandLogo | None — the device maker's checked logo (.type "png"|"svg", .data bytes,
  .sha256 hex); the channel's brand_logo op sends it in base64 pieces. status() should then carry
  "brand_logo": {"type", "size", "sha256"} so the companion knows when to fetch it again.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

# The kinds of notice the companion knows how to word. Anything else is shown as "info".
NOTICE_KINDS: tuple[str, ...] = ("warn", "remind", "block", "close", "lock", "web_block", "grant", "decline", "info")
REQUEST_SCOPES: tuple[str, ...] = ("screen", "games")
AGE_BANDS: tuple[str, ...] = ("0-6", "7-10", "11-13", "14-15", "16-17")


@runtime_checkable
class CompanionBackend(Protocol):
    def status(self) -> dict[str, Any]:
        """Today as the child should see it. Keys (more may be present; the companion ignores them):

        - screen_used_s: int — seconds of screen time counted today.
        - screen_left_s: int | None — seconds left today; None = no limit today; 0 = the session is stopped.
        - games_used_s: int — seconds of game time counted today (all games).
        - games_left_s: int | None — seconds of game time left (the tighter of the daily total and the current
          game's cap); None = no game limit.
        - current_game: str | None — catalog id of the game in the foreground, None if none.
        - age_band: str — one of AGE_BANDS ("0-6", "7-10", "11-13", "14-15", "16-17"); picks the wording.
        - lang: str — "vi" or "en": the language the companion shows.
        - child_name: str — the child's display name from the policy ("" if none).
        - next_window: str | None — when the next allowed time starts if the child is outside one ("HH:MM", local
          time of the policy's zone), else None.
        - locked_reason: str | None — why the session is stopped right now ("screen_limit", "downtime", ...),
          None when it is not.
        - brand: str — the device maker's product name (only when its oem.toml set one).
        - brand_logo: {"type": "png"|"svg", "size": int, "sha256": str} — only when there is a device maker's
          logo; fetch the bytes with the brand_logo op.
        """
        ...

    def notices_since(self, cursor: int) -> list[dict[str, Any]]:
        """Notices with id > cursor, oldest first. Each notice:

        - id: int — increasing; the companion passes the last one it saw as the next cursor.
        - kind: str — one of NOTICE_KINDS: warn (time almost up), remind (a break reminder), block (an app was
          blocked), close (a game was closed), lock (the session is about to lock / log out), web_block (a website
          was blocked), grant (a parent gave more time), decline (a parent said no), info (anything else).
        - target: str | None — what it is about: an app or game id, a domain for web_block, "screen" / "games".
        - title: str | None — a display name for target if the service knows one (e.g. "Minecraft").
        - left_s: int | None — seconds left when the notice was made (warn, lock), or seconds granted (grant).
        - until: str | None — when the thing is allowed again: "tomorrow", "HH:MM", or None if not applicable.
        - category: str | None — the web category for web_block ("gambling", "adult", ...), else None.
        - message: str | None — free text from the parent (grant, decline), shown as written.
        """
        ...

    def submit_request(self, minutes: int, reason: str, scope: str) -> dict[str, Any]:
        """The child asks for more time. minutes: whole minutes (the service bounds it, e.g. 5..240); reason: the
        child's words (the service trims it); scope: one of REQUEST_SCOPES. Returns {"id": str, "state": "queued"}
        once the request is stored for the parent. Raises ValueError with a readable reason for bad values."""
        ...

    def privacy_report(self) -> dict[str, Any]:
        """Exactly what leaves this PC, for the "What my parents can see" window:

        - sent: dict[str, bool] — each category of data and whether it is sent (time_totals, apps_used,
          window_titles, full_web_addresses, web_categories_blocked, time_requests, tamper_alerts, ...).
        - never_sent: list[str] — kinds of data that are never collected (screenshots, keystrokes, messages, ...).
        - example_today: dict — today's summary exactly as it would be sent now.
        - retention_days: int — how long the parent's console keeps it.
        - recipients: str — who receives it (the parents' paired consoles; no company server).
        """
        ...

    def report_harmful(self, what: str, note: str) -> dict[str, Any]:
        """The child reports something harmful (what: a short description or a site; note: free text). It goes to
        the parents. Returns {"state": "sent_to_parent", "hotline": "111"} (more keys allowed)."""
        ...
