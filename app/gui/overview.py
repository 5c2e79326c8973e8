"""Family overview: waiting time requests and alerts on top (answer in one click), then each child with today's
screen and game time against the limits and whether each of their PCs is online. Device calls run in workers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.gui import i18n
from app.gui.consent_dialog import ConsentDialog, consent_state_line
from app.gui.consent_dialog import ui as consent_ui
from app.gui.controls_row import ControlsRow
from app.gui.help import guide_link
from app.gui.new_app_card import NewAppCard
from app.gui.session import Session
from app.gui.worker import error_text, run_async
from app.relay_client import offline_notes
from app.reports import today_against_limits
from common_qt.wrapping_scroll import WrappingScrollArea

REFRESH_MS = 30_000  # today's bars and online state; requests and reports arrive through the watcher at once
ANSWERED_VISIBLE_MS = 3_000  # long enough to read "Granted 15 minutes", short enough not to look still open


class RequestCard(QFrame):
    answered = Signal(str)

    def __init__(self, session: Session, item: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.item = session, item
        self.busy = self.done = False
        p = item["payload"]
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("RequestCard { background: #fff7e0; border: 1px solid #e0b84c; border-radius: 6px; }")
        kid = session.store.child_of(item["device_id"])
        who = kid.name if kid else item.get("label", "?")
        scope = self.tr("games") if p.get("scope") == "games" else self.tr("screen time")
        text = self.tr("%1 asks for %2 more minutes of %3").replace("%1", who).replace(
            "%2", str(p.get("minutes"))).replace("%3", scope)
        if p.get("reason"):
            text += self.tr(": “%1”").replace("%1", str(p["reason"]))
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        lay = QHBoxLayout(self)
        lay.addWidget(self.label, 1)
        self.buttons: dict[str, QPushButton] = {}
        for minutes in (15, 30, 60):
            b = QPushButton(self.tr("+%1 min").replace("%1", str(minutes)))
            b.setAccessibleName(self.tr("Give %1 more minutes").replace("%1", str(minutes)))
            b.clicked.connect(lambda _=False, m=minutes: self.answer(True, m))
            lay.addWidget(b)
            self.buttons[str(minutes)] = b
        b = QPushButton(self.tr("Other…"))
        b.setAccessibleName(self.tr("Give another number of minutes"))
        b.clicked.connect(self._custom)
        lay.addWidget(b)
        self.buttons["custom"] = b
        b = QPushButton(self.tr("Decline…"))
        b.setAccessibleName(self.tr("Decline with a message"))
        b.clicked.connect(self._decline)
        lay.addWidget(b)
        self.buttons["decline"] = b

    def _custom(self) -> None:
        minutes, ok = QInputDialog.getInt(self, self.tr("More time"), self.tr("Minutes to give:"),
                                          int(self.item["payload"].get("minutes") or 20), 1, 240)
        if ok:
            self.answer(True, minutes)

    def _decline(self) -> None:
        message, ok = QInputDialog.getText(self, self.tr("Decline"), self.tr("A message for your child (optional):"))
        if ok:
            self.answer(False, 0, message)

    def answer(self, approve: bool, minutes: int, message: str = "") -> None:
        for b in self.buttons.values():
            b.setEnabled(False)
        self.busy = True
        self.label.setText(self.tr("Sending your answer…"))
        run_async(lambda: self.session.decide(self.item, approve, minutes, message), self._done, self._failed)

    def _done(self, result: dict[str, Any]) -> None:
        self.busy, self.done = False, True
        if result.get("state") == "granted" and result.get("asked_day") not in (None, result.get("day")):
            # asked on an earlier day: the time is for today, and the parent reads that plainly
            self.label.setText(self.tr("Granted %1 minutes for today (the request was from %2)").replace(
                "%1", str(result.get("minutes"))).replace("%2", _day(result["asked_day"])))
        elif result.get("state") == "granted":
            self.label.setText(self.tr("Granted %1 minutes").replace("%1", str(result.get("minutes"))))
        else:
            self.label.setText(self.tr("Declined"))
        self.answered.emit(self.item["payload"]["id"])

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        for b in self.buttons.values():
            b.setEnabled(True)
        self.label.setText(self.tr("Could not send the answer: %1").replace("%1", error_text(exc)))


class HarmfulCard(QFrame):
    """A child's report of something harmful, in their own words: its own alert, never folded into a list."""

    def __init__(self, item: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        p = item.get("payload") or {}
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("HarmfulCard { background: #fdecea; border: 1px solid #c0392b; border-radius: 6px; }")
        who = str(item.get("child") or "?")
        when = _when(item.get("at"))
        lay = QVBoxLayout(self)
        title = QLabel(self.tr("%1 reported something harmful (%2)").replace("%1", who).replace("%2", when))
        title.setStyleSheet("font-weight: bold;")
        title.setWordWrap(True)
        lay.addWidget(title)
        words = self.tr("“%1”").replace("%1", str(p.get("what", "")))
        if p.get("note"):
            words += "\n" + self.tr("“%1”").replace("%1", str(p["note"]))
        self.words = QLabel(words)
        self.words.setWordWrap(True)
        self.words.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.words.setAccessibleName(self.tr("What %1 wrote").replace("%1", who))
        lay.addWidget(self.words)
        hint = QLabel(self.tr("Talk with %1 calmly and thank them for telling you. If someone is in danger, call "
                              "the child-protection hotline 111 (free, day and night).").replace("%1", who))
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.setAccessibleName(title.text())


class SiteRequestCard(QFrame):
    """A child's "ask my parents to open it" from the block page, with the answer in one click: the site joins the
    child's allow list and the rules go to their PCs (the site opens there within seconds)."""

    def __init__(self, session: Session, item: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.item = session, item
        self.key = (item.get("device_id"), item.get("seq"))
        self.busy = False
        p = item.get("payload") or {}
        self.site = str(p.get("domain") or "?")
        kid = session.store.child_of(item.get("device_id", ""))
        self.who = kid.name if kid else str(item.get("label") or "?")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("SiteRequestCard { background: #eef6ff; border: 1px solid #6a9fd8; border-radius: 6px; }")
        lay = QHBoxLayout(self)
        self.label = QLabel()
        self.label.setWordWrap(True)
        lay.addWidget(self.label, 1)
        self.allow_button = QPushButton(self.tr("Allow this site"))
        self.allow_button.setAccessibleName(self.tr("Allow %1 for %2").replace("%1", self.site).replace(
            "%2", self.who))
        self.allow_button.clicked.connect(self.allow)
        lay.addWidget(self.allow_button)
        self.setAccessibleName(self._asks())
        if session.site_allowed(item):
            self._show_allowed()
        else:
            self.label.setText(self._asks())

    def _asks(self) -> str:
        p = self.item.get("payload") or {}
        title = _category_title(p.get("category"))
        text = self.tr("%1 asks to open %2").replace("%1", self.who).replace("%2", self.site)
        if title:
            text += self.tr(" (blocked as %1)").replace("%1", title)
        return f"{self.item.get('day', '')}: " + text

    def allow(self) -> None:
        self.busy = True
        self.allow_button.setEnabled(False)
        self.label.setText(self.tr("Allowing %1…").replace("%1", self.site))
        run_async(lambda: self.session.allow_site(self.item), self._done, self._failed)

    def _done(self, _applied: Any) -> None:
        self.busy = False
        self._show_allowed()

    def _show_allowed(self) -> None:
        self.allow_button.hide()
        self.label.setText(self.tr("%1 is allowed for %2: it opens on their PC within a few seconds.").replace(
            "%1", self.site).replace("%2", self.who))

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        self.allow_button.setEnabled(True)
        self.label.setText(self.tr("Could not allow %1: %2").replace("%1", self.site).replace("%2", error_text(exc)))


def _category_title(category: Any) -> str:
    if not isinstance(category, str):
        return ""
    from app.gui import i18n
    from app.gui.session import load_categories

    found = load_categories().get(category)
    return i18n.pick(found["title"]) if found else category


def _day(iso: Any) -> str:
    try:
        d = dt.date.fromisoformat(str(iso)[:10])
    except ValueError:
        return str(iso)
    return f"{d.day:02d}/{d.month:02d}"


def _when(at: Any) -> str:
    if not isinstance(at, int | float):
        return "?"
    fmt = "HH:mm" if dt.datetime.fromtimestamp(at).date() == dt.date.today() else "dd/MM HH:mm"
    return QDateTime.fromSecsSinceEpoch(int(at)).toString(fmt)


class ChildCard(QGroupBox):
    def __init__(self, session: Session, child_id: str, parent: QWidget | None = None) -> None:
        kid = session.store.child(child_id)
        super().__init__(kid.name, parent)
        self.session, self.child_id = session, child_id
        lay = QVBoxLayout(self)
        self.screen = self._bar(lay, self.tr("Screen time today"))
        self.games = self._bar(lay, self.tr("Game time today"))
        self.device_labels: dict[str, QLabel] = {}
        self.consent_labels: dict[str, QLabel] = {}
        devices = session.devices_of(child_id)
        self.controls: ControlsRow | None = None
        if not devices:
            lay.addWidget(QLabel(self.tr("No PC paired yet — add one in Settings.")))
        else:  # lock now / pause internet until … on every PC of this child
            self.controls = ControlsRow(session, child_id)
            lay.addWidget(self.controls)
        for d in devices:
            label = QLabel(self.tr("%1: checking…").replace("%1", d["label"]))
            label.setAccessibleName(self.tr("State of %1").replace("%1", d["label"]))
            self.device_labels[d["device_id"]] = label
            lay.addWidget(label)
            state = QLabel(consent_state_line(session, d["device_id"]))  # as last heard from the PC
            state.setWordWrap(True)
            self.consent_labels[d["device_id"]] = state
            lay.addWidget(state)
            consent = QPushButton(consent_ui("open"))  # what the parent sees of this PC, and who agreed
            consent.setAccessibleName(consent.text() + " " + d["label"])
            consent.clicked.connect(lambda _=False, d=d: self.open_consent(d["device_id"], d["label"]))
            lay.addWidget(consent, 0, Qt.AlignmentFlag.AlignLeft)
        self.set_status(None)

    def open_consent(self, device_id: str, label: str) -> ConsentDialog:
        self.consent_dialog = ConsentDialog(self.session, device_id, label, self)
        self.consent_dialog.show()
        return self.consent_dialog

    def _bar(self, lay: QVBoxLayout, title: str) -> QProgressBar:
        row = QHBoxLayout()
        label = QLabel(title)
        label.setMinimumWidth(170)
        bar = QProgressBar()
        bar.setAccessibleName(title)
        row.addWidget(label)
        row.addWidget(bar, 1)
        lay.addLayout(row)
        return bar

    def set_status(self, status: dict[str, Any] | None) -> None:
        if self.controls is not None:
            self.controls.set_status(status)
        fig = today_against_limits(status, self.session.policy(self.child_id), dt.date.today())
        for bar, used, limit in ((self.screen, fig["screen_used"], fig["screen_limit"]),
                                 (self.games, fig["games_used"], fig["games_limit"])):
            if used is None:
                bar.setRange(0, 1)
                bar.setValue(0)
                bar.setFormat(self.tr("not known yet"))
            elif limit is None:
                bar.setRange(0, max(used, 1))
                bar.setValue(used)
                bar.setFormat(self.tr("%1 min (no limit)").replace("%1", str(used)))
            else:
                bar.setRange(0, max(limit, 1))
                bar.setValue(min(used, limit))
                bar.setFormat(self.tr("%1 of %2 min").replace("%1", str(used)).replace("%2", str(limit)))

    def set_online(self, device_id: str, label: str, online: bool, why: str = "") -> None:
        text = (self.tr("%1: online") if online else self.tr("%1: offline — %2")).replace("%1", label)
        self.device_labels[device_id].setText(text.replace("%2", why))
        self.device_labels[device_id].setStyleSheet("color: #1b7a32;" if online else "color: #a33;")


class OverviewPage(QWidget):
    new_requests = Signal(list)
    new_harmful = Signal(list)
    requests_gone = Signal(list)  # ids of requests answered (here or elsewhere) whose notices can close

    def __init__(self, session: Session, parent: QWidget | None = None, *,
                 seen: dict[str, Any] | None = None) -> None:
        super().__init__(parent)
        self.session = session
        # What the parent was already told about; kept by the window, so a rebuilt page (a language switch)
        # neither repeats a notice nor misses one that arrived meanwhile.
        self.seen = seen if seen is not None else {}
        self.seen.setdefault("requests", set())
        self.seen.setdefault("harmful", None)  # None: the first look only fills it
        self.new_app_cards: dict[tuple[str, int], NewAppCard] = {}
        self.harmful_cards: list[HarmfulCard] = []
        self.site_cards: list[SiteRequestCard] = []
        outer = QVBoxLayout(self)
        # Requests, alerts and children on one page that scrolls as a whole: a day with many alerts pushes the
        # children down instead of squeezing every text to fit the window.
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        self.requests_box = QGroupBox(self.tr("Waiting for your answer"))
        self.requests_lay = QVBoxLayout(self.requests_box)
        self.request_cards: dict[str, RequestCard] = {}
        self.no_requests = QLabel(self.tr("No requests are waiting."))
        self.requests_lay.addWidget(self.no_requests)
        self.request_help = guide_link("request", "link_request")  # the parent's guide: answering a request
        self.requests_lay.addWidget(self.request_help)
        column.addWidget(self.requests_box)
        self.alerts_box = QGroupBox(self.tr("Alerts"))
        self.alerts_lay = QVBoxLayout(self.alerts_box)
        column.addWidget(self.alerts_box)
        self.cards: dict[str, ChildCard] = {}
        for kid in session.store.children():
            card = ChildCard(session, kid.id)
            self.cards[kid.id] = card
            column.addWidget(card)
        column.addStretch(1)
        self.scroll = WrappingScrollArea(page)
        outer.addWidget(self.scroll, 1)
        self.refresh_btn = QPushButton(self.tr("Refresh now"))
        self.refresh_btn.setAccessibleName(self.refresh_btn.text())
        self.refresh_btn.clicked.connect(self.refresh)
        outer.addWidget(self.refresh_btn, 0, Qt.AlignmentFlag.AlignRight)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        # shown now, announced (and remembered as told) only once the window has connected its signals
        self.show_requests(remember=False)
        self.show_alerts(remember=False)
        self.timer.start(REFRESH_MS)

    def refresh(self) -> None:
        if self.session.closed:  # the window outlived its session (closing down): nothing left to show
            self.timer.stop()
            return
        run_async(self.session.fetch_all, lambda _missed: (self.show_requests(), self.show_alerts()),
                  lambda _exc: None)
        for kid_id, card in self.cards.items():
            for d in self.session.devices_of(kid_id):
                did, label = d["device_id"], d["label"]
                run_async(lambda did=did: self.session.status(did),
                          lambda st, card=card, did=did, label=label: (card.set_status(st),
                                                                        card.set_online(did, label, True)),
                          lambda exc, card=card, did=did, label=label: card.set_online(did, label, False,
                                                                                       error_text(exc)))

    def show_requests(self, remember: bool = True) -> None:
        """Add cards for new requests, drop cards answered elsewhere; a card being answered here stays put."""
        if self.session.closed:
            self.timer.stop()
            return
        waiting = self.session.open_requests()
        ids = {i["payload"].get("id") for i in waiting}
        gone = [rid for rid in self.seen["requests"] if rid not in ids] if remember else []
        for rid, card in list(self.request_cards.items()):
            if rid not in ids and not card.busy and not card.done:
                self.requests_lay.removeWidget(card)
                card.hide()
                card.deleteLater()
                del self.request_cards[rid]
        for item in waiting:
            rid = item["payload"].get("id")
            if rid not in self.request_cards:
                card = RequestCard(self.session, item)
                card.answered.connect(self._answered)
                self.request_cards[rid] = card
                self.requests_lay.insertWidget(self.requests_lay.count() - 2, card)
        self.no_requests.setVisible(not self.request_cards)
        self.request_help.setVisible(bool(self.request_cards))
        if not remember:
            return
        fresh = [i for i in waiting if i["payload"].get("id") not in self.seen["requests"]]
        self.seen["requests"] = ids
        if gone:
            self.requests_gone.emit(gone)
        if fresh:
            self.new_requests.emit(fresh)

    def _answered(self, rid: str) -> None:
        self.requests_gone.emit([rid])  # its pop-up closes now; the card shows the answer a moment longer
        # leave the result readable for a while, then tidy the card away
        # Bound to this widget: if it is gone by then, Qt drops the call.
        QTimer.singleShot(ANSWERED_VISIBLE_MS, self, lambda: self._drop_card(rid))

    def _drop_card(self, rid: str) -> None:
        card = self.request_cards.pop(rid, None)
        if card is not None:
            self.requests_lay.removeWidget(card)
            card.hide()
            card.deleteLater()
        self.no_requests.setVisible(not self.request_cards)

    def show_alerts(self, remember: bool = True) -> None:
        if self.session.closed:  # the window outlived its session (closing down): nothing left to show
            self.timer.stop()
            return
        kept: dict[Any, SiteRequestCard] = {}
        while self.alerts_lay.count():
            w = self.alerts_lay.itemAt(0).widget()
            # removeWidget deletes the layout's item for it at once; a taken item left to Python lives on, still
            # registered as the widget's item, so a card added again got an item whose height cache nothing clears
            # (it kept the card's old height when an answer added a line)
            if w is None:
                self.alerts_lay.takeAt(0)
                continue
            self.alerts_lay.removeWidget(w)
            if isinstance(w, SiteRequestCard):
                kept[w.key] = w  # the same request keeps its card (and an answer on the way lands in it)
            elif w is not None and w not in self.new_app_cards.values():  # a card being answered stays itself
                w.hide()
                w.deleteLater()
        harmful = self.session.harmful_reports()
        self.harmful_cards = [HarmfulCard(h) for h in reversed(harmful[-3:])]
        for card in self.harmful_cards:
            self.alerts_lay.addWidget(card)
        keys = {(h["device_id"], h["seq"]) for h in harmful}
        known = self.seen["harmful"]
        if remember:
            if known is not None and keys - known:
                self.new_harmful.emit([h for h in harmful if (h["device_id"], h["seq"]) not in known])
            self.seen["harmful"] = keys
        alerts = self.session.alerts()
        new_apps = [a for a in alerts if (a.get("payload") or {}).get("kind") == "new_fullscreen_app"]
        for a in new_apps[-3:]:
            key = (a["device_id"], a["seq"])
            card = self.new_app_cards.get(key)
            if card is None:
                card = self.new_app_cards[key] = NewAppCard(self.session, a)
            self.alerts_lay.addWidget(card)
            card.show()
        alerts = [a for a in alerts if a not in new_apps]
        self.site_cards = []
        for a in alerts[-5:]:
            if (a.get("payload") or {}).get("kind") == "site_request":
                card = kept.pop((a.get("device_id"), a.get("seq")), None) or SiteRequestCard(self.session, a)
                self.site_cards.append(card)
                self.alerts_lay.addWidget(card)
                continue
            kid = self.session.store.child_of(a.get("device_id", ""))
            label = QLabel(alert_text(a, kid.name if kid else ""))
            label.setWordWrap(True)
            self.alerts_lay.addWidget(label)
        for card in kept.values():
            if card.busy:  # pushed out of the last five while its answer is on the way: shown until it lands
                self.site_cards.append(card)
                self.alerts_lay.addWidget(card)
            else:
                card.hide()
                card.deleteLater()
        away = offline_notes(self.session.family, i18n.current())  # heard from the relay's presence (last will)
        for note in away:
            label = QLabel(note)
            label.setObjectName("offline_alert")
            label.setWordWrap(True)
            self.alerts_lay.addWidget(label)
        if not alerts and not harmful and not new_apps and not away:
            self.alerts_lay.addWidget(QLabel(self.tr("No alerts in the last 7 days.")))
        else:
            self.alerts_lay.addWidget(guide_link("tamper", "link_tamper"))  # the parent's guide: after an alert


def alert_text(item: dict[str, Any], name: str = "") -> str:
    """What happened and what to do, for each alert kind the agent sends (`name`: the child whose PC it is)."""
    payload = item.get("payload") or {}
    kind = payload.get("kind", "")
    minutes = str(max(1, round((payload.get("left_s") or 0) / 60)))
    texts = {
        "gap": QCoreApplication.translate(
            "Alerts", "Sprout was not running on the PC for %1 minutes (switched off, asleep without suspend, or "
                      "stopped). Its time was not counted.").replace("%1", minutes),
        "clock_change": QCoreApplication.translate(
            "Alerts", "The PC's clock was moved. Sprout kept its own time, so no extra time was gained; check the "
                      "PC's clock."),
        "lift-cover": QCoreApplication.translate(
            "Alerts", "Someone typed a PIN on the screen cover of the child's PC (%1).").replace(
            "%1", QCoreApplication.translate("Alerts", "accepted") if payload.get("allowed")
            else QCoreApplication.translate("Alerts", "wrong PIN")),
        "protected_action": QCoreApplication.translate(
            "Alerts", "Someone tried to stop or remove Sprout on the child's PC (%1). Talk with your child and "
                      "check the PC.").replace("%1", str(payload.get("action", ""))),
        "admin_unknown": QCoreApplication.translate(
            "Alerts", "Sprout could not tell whether the child's account is an administrator. Check the account "
                      "type."),
        "child_is_admin": QCoreApplication.translate(
            "Alerts", "The child's account is an administrator, so Sprout can be switched off. "
                      "Make it a standard account."),
        "timezone_change": QCoreApplication.translate(
            "Alerts", "The PC's time zone was changed. Sprout kept its own day; check the PC's clock."),
        "child_account_missing": QCoreApplication.translate(
            "Alerts", "Sprout does not know yet which account on the PC is the child's, so it filters the web but "
                      "does not count time. On that PC, run: sudo sprout-agent set-child <the child's login name>"),
        "lock_failed": QCoreApplication.translate(
            "Alerts", "Screen time ran out, but the PC could not be locked or logged out. Sprout covers the screen "
                      "instead until time is allowed again (your PIN lifts it at the PC). Time used meanwhile is "
                      "not taken from your next grant."),
        "offline": QCoreApplication.translate(
            "Alerts", "The PC has not been reachable for a while. Check that it is on and connected."),
        "time_held": QCoreApplication.translate(
            "Alerts", "After a restart the PC's clock claimed a lot of time had passed. Sprout kept today's totals "
                      "until a clock the child cannot set (a time server, or this console) confirms the time."),
        "time_confirmed": QCoreApplication.translate(
            "Alerts", "The time was confirmed by %1; the PC's own clock was off by %2 minutes. No time was gained.")
        .replace("%1", QCoreApplication.translate("Alerts", "your console") if str(payload.get("source", ""))
                 .startswith("console") else QCoreApplication.translate("Alerts", "a time server"))
        .replace("%2", str(round(abs(payload.get("wall_off_s") or 0) / 60))),
    }
    if kind == "protected_action" and payload.get("action") == "lift-cover":
        kind = "lift-cover"
    from app.controls import alert_line

    control = alert_line(payload, name or item.get("label") or "?", 0 if i18n.current() == "vi" else 1)
    if control is not None:  # lock now / pause internet and their ends, and a refused (forged) one
        return f"{item.get('day', '')}: " + control
    fallback = QCoreApplication.translate("Alerts", "Sprout noticed: %1").replace("%1", kind)
    return f"{item.get('day', '')}: " + texts.get(kind, fallback)
