var SproutPush = (() => {
  var __defProp = Object.defineProperty;
  var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
  var __getOwnPropNames = Object.getOwnPropertyNames;
  var __hasOwnProp = Object.prototype.hasOwnProperty;
  var __export = (target, all) => {
    for (var name in all)
      __defProp(target, name, { get: all[name], enumerable: true });
  };
  var __copyProps = (to, from, except, desc) => {
    if (from && typeof from === "object" || typeof from === "function") {
      for (let key of __getOwnPropNames(from))
        if (!__hasOwnProp.call(to, key) && key !== except)
          __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
    }
    return to;
  };
  var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

  // src/sw-push.js
  var sw_push_exports = {};
  __export(sw_push_exports, {
    notificationFor: () => notificationFor
  });

  // src/push-text.js
  var TEXT = {
    vi: {
      ask: (n, m) => `${n} xin th\xEAm ${m} ph\xFAt`,
      askBody: "Ch\u1EA1m \u0111\u1EC3 tr\u1EA3 l\u1EDDi",
      offline: (n, hhmm2) => `M\xE1y c\u1EE7a ${n} \u0111\xE3 ngo\u1EA1i tuy\u1EBFn t\u1EEB ${hhmm2}`,
      turnedOff: (n, hhmm2) => `M\xE1y c\u1EE7a ${n} \u0111\xE3 t\u1EAFt l\xFAc ${hhmm2}`,
      offlineBody: "Sprout s\u1EBD b\xE1o khi m\xE1y tr\u1EF1c tuy\u1EBFn tr\u1EDF l\u1EA1i",
      pc: (n) => `M\xE1y c\u1EE7a ${n}`,
      alerts: {
        clock_change: "\u0110\u1ED3ng h\u1ED3 c\u1EE7a m\xE1y \u0111\xE3 b\u1ECB \u0111\u1ED5i",
        timezone_change: "M\xFAi gi\u1EDD c\u1EE7a m\xE1y \u0111\xE3 b\u1ECB \u0111\u1ED5i",
        gap: "Sprout \u0111\xE3 kh\xF4ng ch\u1EA1y trong m\u1ED9t l\xFAc",
        lock_disagrees: "Kh\xF3a m\xE0n h\xECnh kh\xF4ng gi\u1EEF \u0111\u01B0\u1EE3c",
        protected_action: "C\xF3 ng\u01B0\u1EDDi \u0111\xE3 th\u1EED t\u1EAFt ho\u1EB7c g\u1EE1 Sprout",
        dns_lock_failed: "Kh\xF4ng b\u1EADt \u0111\u01B0\u1EE3c b\u1ED9 l\u1ECDc web",
        child_is_admin: "T\xE0i kho\u1EA3n c\u1EE7a con \u0111ang l\xE0 qu\u1EA3n tr\u1ECB vi\xEAn",
        child_account_missing: "Sprout ch\u01B0a bi\u1EBFt t\xE0i kho\u1EA3n c\u1EE7a con",
        lock_failed: "Kh\xF4ng kh\xF3a \u0111\u01B0\u1EE3c m\xE1y",
        policy_withdrawn: "M\u1ED9t thi\u1EBFt b\u1ECB ph\u1EE5 huynh \u0111\xE3 b\u1ECB g\u1EE1; quy t\u1EAFc c\u1EE7a n\xF3 \u0111\xE3 \u0111\u01B0\u1EE3c r\xFAt l\u1EA1i",
        site_request: "Con xin m\u1EDF m\u1ED9t trang \u0111ang b\u1ECB ch\u1EB7n"
      },
      alertOther: "C\xF3 vi\u1EC7c c\u1EA7n b\u1EA1n xem",
      unknownTitle: "Sprout",
      unknownBody: "M\u1EDF \u1EE9ng d\u1EE5ng \u0111\u1EC3 xem tin m\u1EDBi"
    },
    en: {
      ask: (n, m) => `${n} asks for ${m} more minutes`,
      askBody: "Tap to answer",
      offline: (n, hhmm2) => `${n}'s PC has been offline since ${hhmm2}`,
      turnedOff: (n, hhmm2) => `${n}'s PC turned off at ${hhmm2}`,
      offlineBody: "Sprout will tell you when it is back online",
      pc: (n) => `${n}'s PC`,
      alerts: {
        clock_change: "The PC's clock was changed",
        timezone_change: "The PC's time zone was changed",
        gap: "Sprout was not running for a while",
        lock_disagrees: "The screen lock did not hold",
        protected_action: "Someone tried to stop or remove Sprout",
        dns_lock_failed: "The web filter could not be turned on",
        child_is_admin: "Your child's account is an administrator",
        child_account_missing: "Sprout does not know your child's account yet",
        lock_failed: "The PC could not be locked",
        policy_withdrawn: "A parent's device was removed; its rules were withdrawn",
        site_request: "Your child asks to open a blocked site"
      },
      alertOther: "Something needs your attention",
      unknownTitle: "Sprout",
      unknownBody: "Open the app to see what is new"
    }
  };
  var clean = (text, max) => String(text ?? "").replace(/[\u0000-\u001f\u007f]/g, "").slice(0, max);
  function hhmm(epochS, timeZone) {
    const d = new Date(Number(epochS) * 1e3);
    const opts = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", ...timeZone ? { timeZone } : {} };
    const parts = new Intl.DateTimeFormat("en-GB", opts).formatToParts(d);
    const part = (type) => parts.find((p) => p.type === type)?.value ?? "00";
    return `${part("hour").padStart(2, "0")}:${part("minute")}`;
  }
  function notificationFor(note, fallbackLang = "vi", timeZone = void 0) {
    const lang = note && TEXT[note.l] ? note.l : TEXT[fallbackLang] ? fallbackLang : "vi";
    const T = TEXT[lang];
    const ok = note && typeof note === "object" && note.v === 1 && typeof note.a === "string";
    if (!ok) {
      return { title: T.unknownTitle, options: { body: T.unknownBody, tag: "sprout", lang, data: { route: "home" } } };
    }
    const name = clean(note.n, 40) || (lang === "vi" ? "Con" : "Your child");
    const data = { agent: clean(note.a, 60), seq: Number.isInteger(note.s) ? note.s : null };
    if (note.t === "ask" && Number.isInteger(note.m)) {
      return { title: T.ask(name, note.m), options: {
        body: T.askBody,
        tag: `ask-${data.agent}-${clean(note.id, 20)}`,
        lang,
        requireInteraction: true,
        data: { ...data, route: "requests", request: clean(note.id, 20) }
      } };
    }
    if (note.t === "offline" && Number.isFinite(note.at)) {
      const title = (note.o === 1 ? T.turnedOff : T.offline)(name, hhmm(note.at, timeZone));
      return { title, options: {
        body: T.offlineBody,
        tag: `offline-${data.agent}`,
        lang,
        data: { ...data, route: "alerts" }
      } };
    }
    if (note.t === "alert") {
      const body = T.alerts[note.k] ?? T.alertOther;
      return { title: T.pc(name), options: {
        body,
        tag: `alert-${data.agent}-${data.seq}`,
        lang,
        data: { ...data, route: "alerts" }
      } };
    }
    return { title: T.unknownTitle, options: { body: T.unknownBody, tag: "sprout", lang, data: { ...data, route: "home" } } };
  }

  // src/sw-push.js
  var sw = self;
  function readNote(data) {
    if (!data) return null;
    try {
      return data.json();
    } catch {
      return null;
    }
  }
  async function windows() {
    return sw.clients.matchAll({ type: "window", includeUncontrolled: true });
  }
  sw.addEventListener("push", (event) => {
    const note = readNote(event.data);
    event.waitUntil((async () => {
      const open = await windows();
      for (const w of open) w.postMessage({ type: "sprout-push", note });
      if (open.some((w) => w.visibilityState === "visible" && w.focused)) return;
      const lang = (sw.navigator && sw.navigator.language || "vi").startsWith("en") ? "en" : "vi";
      const { title, options } = notificationFor(note, lang);
      await sw.registration.showNotification(title, { icon: "icon-192.png", badge: "icon-192.png", ...options });
    })());
  });
  sw.addEventListener("notificationclick", (event) => {
    event.notification.close();
    const data = event.notification.data || {};
    const route = ["requests", "alerts", "home"].includes(data.route) ? data.route : "home";
    const url = new URL(`./#/${route}`, sw.registration.scope).href;
    event.waitUntil((async () => {
      for (const w of await windows()) {
        if (new URL(w.url).origin === new URL(url).origin && "focus" in w) {
          w.postMessage({ type: "sprout-open", route, agent: data.agent ?? null, request: data.request ?? null });
          return w.focus();
        }
      }
      return sw.clients.openWindow(url);
    })());
  });
  return __toCommonJS(sw_push_exports);
})();
