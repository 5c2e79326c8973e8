// What a Web Push notification says, in Vietnamese and English, from the small payload the child's PC sends
// (agent/protocol/webpush.py `notification`): {v, a: agent ID, s: seq, n: child's name, l: lang, t: ask|alert|offline,
// m: minutes, id: request ID, k: alert kind, at: offline since (epoch s), o: 1 = the PC turned off cleanly}. Pure:
// the service worker, the app (hhmm) and the tests use it.

const TEXT = {
  vi: {
    ask: (n, m) => `${n} xin thêm ${m} phút`,
    askBody: 'Chạm để trả lời',
    offline: (n, hhmm) => `Máy của ${n} đã ngoại tuyến từ ${hhmm}`,
    turnedOff: (n, hhmm) => `Máy của ${n} đã tắt lúc ${hhmm}`,
    offlineBody: 'Sprout sẽ báo khi máy trực tuyến trở lại',
    pc: (n) => `Máy của ${n}`,
    alerts: {
      clock_change: 'Đồng hồ của máy đã bị đổi',
      timezone_change: 'Múi giờ của máy đã bị đổi',
      gap: 'Sprout đã không chạy trong một lúc',
      lock_disagrees: 'Khóa màn hình không giữ được',
      protected_action: 'Có người đã thử tắt hoặc gỡ Sprout',
      dns_lock_failed: 'Không bật được bộ lọc web',
      child_is_admin: 'Tài khoản của con đang là quản trị viên',
      child_account_missing: 'Sprout chưa biết tài khoản của con',
      lock_failed: 'Không khóa được máy',
      policy_withdrawn: 'Một thiết bị phụ huynh đã bị gỡ; quy tắc của nó đã được rút lại',
      site_request: 'Con xin mở một trang đang bị chặn',
    },
    alertOther: 'Có việc cần bạn xem',
    unknownTitle: 'Sprout',
    unknownBody: 'Mở ứng dụng để xem tin mới',
  },
  en: {
    ask: (n, m) => `${n} asks for ${m} more minutes`,
    askBody: 'Tap to answer',
    offline: (n, hhmm) => `${n}'s PC has been offline since ${hhmm}`,
    turnedOff: (n, hhmm) => `${n}'s PC turned off at ${hhmm}`,
    offlineBody: 'Sprout will tell you when it is back online',
    pc: (n) => `${n}'s PC`,
    alerts: {
      clock_change: "The PC's clock was changed",
      timezone_change: "The PC's time zone was changed",
      gap: 'Sprout was not running for a while',
      lock_disagrees: 'The screen lock did not hold',
      protected_action: 'Someone tried to stop or remove Sprout',
      dns_lock_failed: 'The web filter could not be turned on',
      child_is_admin: "Your child's account is an administrator",
      child_account_missing: "Sprout does not know your child's account yet",
      lock_failed: 'The PC could not be locked',
      policy_withdrawn: "A parent's device was removed; its rules were withdrawn",
      site_request: 'Your child asks to open a blocked site',
    },
    alertOther: 'Something needs your attention',
    unknownTitle: 'Sprout',
    unknownBody: 'Open the app to see what is new',
  },
};

const clean = (text, max) => String(text ?? '').replace(/[\u0000-\u001f\u007f]/g, '').slice(0, max);

// 21:04 in both languages, as the console writes times (app/gui: "HH:mm"): never the browser's own locale, which
// on an English phone would say "09:04 PM" on the Vietnamese screen. In the phone's time zone unless one is given.
export function hhmm(epochS, timeZone) {
  const d = new Date(Number(epochS) * 1000);
  const opts = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) };
  const parts = new Intl.DateTimeFormat('en-GB', opts).formatToParts(d);
  const part = (type) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('hour').padStart(2, '0')}:${part('minute')}`;
}

// {title, options} for showNotification; never throws: a payload that cannot be read still shows something
// (a browser shows its own "updated in the background" otherwise), and tells the app to fetch.
export function notificationFor(note, fallbackLang = 'vi', timeZone = undefined) {
  const lang = note && TEXT[note.l] ? note.l : (TEXT[fallbackLang] ? fallbackLang : 'vi');
  const T = TEXT[lang];
  const ok = note && typeof note === 'object' && note.v === 1 && typeof note.a === 'string';
  if (!ok) {
    return { title: T.unknownTitle, options: { body: T.unknownBody, tag: 'sprout', lang, data: { route: 'home' } } };
  }
  const name = clean(note.n, 40) || (lang === 'vi' ? 'Con' : 'Your child');
  const data = { agent: clean(note.a, 60), seq: Number.isInteger(note.s) ? note.s : null };
  if (note.t === 'ask' && Number.isInteger(note.m)) {
    return { title: T.ask(name, note.m), options: { body: T.askBody, tag: `ask-${data.agent}-${clean(note.id, 20)}`,
      lang, requireInteraction: true, data: { ...data, route: 'requests', request: clean(note.id, 20) } } };
  }
  if (note.t === 'offline' && Number.isFinite(note.at)) {
    // o: the PC said goodbye as it stopped (its own push); else the console heard the broker's last will.
    // One tag per PC: whichever comes second replaces the first, never two notices for one PC going away.
    const title = (note.o === 1 ? T.turnedOff : T.offline)(name, hhmm(note.at, timeZone));
    return { title, options: { body: T.offlineBody,
      tag: `offline-${data.agent}`, lang, data: { ...data, route: 'alerts' } } };
  }
  if (note.t === 'alert') {
    const body = T.alerts[note.k] ?? T.alertOther;
    return { title: T.pc(name), options: { body, tag: `alert-${data.agent}-${data.seq}`, lang,
      data: { ...data, route: 'alerts' } } };
  }
  return { title: T.unknownTitle, options: { body: T.unknownBody, tag: 'sprout', lang, data: { ...data, route: 'home' } } };
}
