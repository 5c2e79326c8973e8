// "Lock now" and "Pause internet until …" on a child's card (docs/parent-guide.md): the same signed control as the
// console's (agent/protocol/messages.py sign_control: "sprout control\0" + canonical JSON), sealed like every other
// request. The PC decides by its own trusted clock and says until when, in its own words (until_text).
import { drafted, forget } from './drafts.js';

export const CONTROL_TEXT = {
  vi: {
    lock: 'Khóa máy ngay', unlock: 'Mở khóa', pause: 'Tạm dừng Internet đến', resume: 'Bật lại Internet',
    for_30: 'trong 30 phút', for_60: 'trong 1 giờ', for_120: 'trong 2 giờ', open: 'đến khi tôi mở',
    locked_until: 'Máy đang khóa đến {time}', locked_open: 'Máy đang khóa đến khi bạn mở',
    paused_until: 'Internet tạm dừng đến {time}', bad_time: 'Hãy chọn một giờ trong 24 giờ tới.',
    done_lock: 'Đã khóa máy', done_unlock: 'Đã mở khóa', done_pause: 'Đã tạm dừng Internet', done_resume: 'Đã bật lại Internet',
    alert: {
      parent_lock: 'Máy đã khóa theo lệnh của bố mẹ', parent_unlock: 'Máy đã mở khóa',
      internet_paused: 'Internet đã tạm dừng', internet_resumed: 'Internet đã bật lại',
      control_refused: 'Máy từ chối một lệnh khóa/tạm dừng giả mạo',
    },
  },
  en: {
    lock: 'Lock now', unlock: 'Unlock', pause: 'Pause internet until', resume: 'Resume internet',
    for_30: 'for 30 minutes', for_60: 'for 1 hour', for_120: 'for 2 hours', open: 'until I unlock it',
    locked_until: 'Locked until {time}', locked_open: 'Locked until you unlock it',
    paused_until: 'Internet paused until {time}', bad_time: 'Pick a time within the next 24 hours.',
    done_lock: 'Locked', done_unlock: 'Unlocked', done_pause: 'The internet is paused', done_resume: 'The internet is back on',
    alert: {
      parent_lock: 'The PC was locked by a parent', parent_unlock: 'The PC was unlocked',
      internet_paused: 'The internet was paused', internet_resumed: 'The internet is back on',
      control_refused: 'The PC refused a forged lock or pause',
    },
  },
};

const ct = (lang, key, vars = {}) =>
  String(key.split('.').reduce((o, k) => o?.[k], CONTROL_TEXT[lang]) ?? key).replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));

// an alert of one of the controls' kinds, worded; undefined for any other kind
export function controlAlert(lang, payload) {
  const label = CONTROL_TEXT[lang].alert[payload?.kind];
  if (label === undefined) return undefined;
  return payload?.until_text ? `${label} (${payload.until_text})` : label;
}

// a time as a parent types it on a number pad ("2030", "20.30", "8:30", "20h30") written hh:mm; anything else as typed
export function typedClock(text) {
  return String(text ?? '').trim().replace(/^(\d{1,2})[.h:]?(\d{2})$/, (_, hh, mm) => `${hh.padStart(2, '0')}:${mm}`);
}

// Unix seconds (whole: the canonical form has no floats) of the next hh:mm on this phone's clock
export function nextClock(value, now = Date.now()) {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value ?? '');
  if (!m) return null;
  const at = new Date(now);
  at.setHours(Number(m[1]), Number(m[2]), 0, 0);
  if (at.getTime() <= now) at.setDate(at.getDate() + 1);
  return Math.floor(at.getTime() / 1000);
}

async function send(family, agent, kind, action, until) {
  const control = { kind, action, until: until ?? 0, at: Math.floor(Date.now() / 1000), device: agent };
  const r = await family.request(agent, kind, { control, signer: family.me, sig: family.sign('sprout control', control) });
  return r.control;
}

// the controls' part of a child's card: what is in force on the PC, and the buttons
export function controlsBlock({ h, app, child, render, tr }) {
  const lang = app.lang;
  const s = app.state.status[child.agent] ?? {};
  const key = `controls:${child.agent}`;
  const busy = !!app.busy[key];
  const act = async (kind, action, until, done) => {
    app.busy[key] = true; render();
    try {
      await send(app.family, child.agent, kind, action, until);
      app.notes[key] = ct(lang, done);
      forget(`lock-for:${child.agent}`, `pause-until:${child.agent}`);  // sent: the next lock or pause starts afresh
      await app.family.status(child.agent).catch(() => {});
    } catch (e) { app.notes[key] = tr('failed', { why: e.reason ?? e.message }); }
    delete app.busy[key]; render();
  };
  const lock = s.parent_lock;
  const paused = s.internet_paused;
  const rows = [];
  if (lock) rows.push(h('p', { class: 'warn', 'data-test': 'locked' }, lock.until_text ? ct(lang, 'locked_until', { time: lock.until_text }) : ct(lang, 'locked_open')));
  if (paused) rows.push(h('p', { class: 'warn', 'data-test': 'paused' }, ct(lang, 'paused_until', { time: paused.until_text ?? '' })));
  const length = drafted(h('select', { 'data-test': 'lock-for', disabled: busy },
    ['60', '30', '120', 'open'].map((v) => h('option', { value: v }, ct(lang, v === 'open' ? 'open' : `for_${v}`)))), `lock-for:${child.agent}`);
  const hour = new Date(Date.now() + 3600_000);
  // a 24-hour text box as the bedtime's: type=time shows the browser's locale ("08:30 PM" on the Vietnamese screen)
  const untilIn = drafted(h('input', { type: 'text', inputmode: 'numeric', maxlength: 5, 'data-test': 'pause-until', disabled: busy,
    value: `${String(hour.getHours()).padStart(2, '0')}:${String(hour.getMinutes()).padStart(2, '0')}` }), `pause-until:${child.agent}`);
  rows.push(lock
    ? h('div', { class: 'controls' }, h('button', { class: 'control', 'data-test': 'unlock', disabled: busy,
      onclick: () => act('lock_now', 'unlock', 0, 'done_unlock') }, ct(lang, 'unlock')))
    : h('div', { class: 'row controls' }, length, h('button', { class: 'control', 'data-test': 'lock-now', disabled: busy,
      onclick: () => act('lock_now', 'lock', length.value === 'open' ? 0 : Math.floor(Date.now() / 1000) + Number(length.value) * 60, 'done_lock') },
    ct(lang, 'lock'))));
  rows.push(paused
    ? h('div', { class: 'controls' }, h('button', { class: 'control', 'data-test': 'resume', disabled: busy,
      onclick: () => act('pause_internet', 'resume', 0, 'done_resume') }, ct(lang, 'resume')))
    : h('div', { class: 'row controls' }, h('button', { class: 'control', 'data-test': 'pause', disabled: busy, onclick: () => {
      const until = nextClock(typedClock(untilIn.value));
      if (until === null) { app.notes[key] = ct(lang, 'bad_time'); render(); return; }
      act('pause_internet', 'pause', until, 'done_pause');
    } }, ct(lang, 'pause')), untilIn));
  if (app.notes[key]) rows.push(h('p', { class: 'note', 'data-test': 'controls-note' }, app.notes[key]));
  return rows;
}
