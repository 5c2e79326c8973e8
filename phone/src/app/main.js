// The parent's phone app: pending requests with one tap, today's time, alerts, the week, the main levers.
// Everything a child or the broker sent is shown with textContent only (never parsed as HTML).
import { Family } from './family.js';
import { TEXT, t } from './i18n.js';
import { lang as savedLang, loadState, setLang } from './state.js';
import { startScanner } from './qr.js';
import { linkFailure, linkPhone } from './linking.js';
import { turnOnNotifications } from './push.js';
import { hhmm as clock } from '../push-text.js';
import { controlAlert, controlsBlock, typedClock } from './controls.js';
import { backTo, drafted, forget, whereTyping } from './drafts.js';

const app = { lang: savedLang(), tab: 'home', family: null, state: null, notes: {}, problems: [], busy: {}, policies: {} };
const tr = (key, vars) => t(app.lang, key, vars);

function h(tag, attrs = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'style') Object.assign(el.style, v);  // CSSOM, which the CSP allows (a style attribute it refuses)
    else if (v !== undefined && v !== null && v !== false) el.setAttribute(k, v === true ? '' : v);
  }
  for (const kid of kids.flat()) if (kid !== null && kid !== undefined && kid !== false) el.append(kid instanceof Node ? kid : String(kid));
  return el;
}

const hhmm = (ts) => clock(ts);  // 20:30 in both languages, as the console: never the browser's locale (08:30 PM)
const mins = (s) => Math.round((s ?? 0) / 60);

function pending(agent) {
  const list = app.state.items[agent]?.list ?? [];
  const done = new Set(list.filter((i) => i.kind === 'decision').map((i) => i.payload?.request_id));
  return list.filter((i) => i.kind === 'time_request' && !done.has(i.payload?.id) && !app.state.answered[i.payload?.id]);
}

function presenceLine(child) {
  const p = app.state.presence[child.agent];
  if (!p) return null;
  if (p.online) return h('p', { class: 'ok' }, tr('online'));
  return h('p', { class: 'warn', 'data-test': 'offline' },
    p.since ? tr('offline_since', { name: child.name, time: hhmm(p.since) }) : tr('offline', { name: child.name }));
}

function todayLine(child) {
  const s = app.state.status[child.agent];
  if (!s) return null;
  const rows = [];
  if (s.screen_used_s !== undefined) {
    const used = mins(s.screen_used_s);
    const limit = s.screen_left_s === null || s.screen_left_s === undefined ? null : used + mins(s.screen_left_s);
    rows.push(h('p', { 'data-test': 'today' }, limit === null ? tr('today_used_nolimit', { used }) : tr('today_used', { used, limit })));
    if (limit) rows.push(h('div', { class: 'bar' }, h('span', { style: { width: `${Math.min(100, Math.round((100 * used) / Math.max(limit, 1)))}%` } })));
  } else {
    rows.push(h('p', { 'data-test': 'today' }, s.limits_reached?.screen ? tr('limit_reached') : tr('limit_not_reached')));
    rows.push(h('p', { class: 'hint' }, tr('no_totals')));
  }
  if (s.locked_reason && !s.parent_lock) rows.push(h('p', { class: 'warn' }, tr('locked_now')));
  rows.push(h('p', { class: 'hint' }, tr('updated', { time: hhmm(s.fetched) })));
  return rows;
}

function requestCard(child, item) {
  const r = item.payload;
  const act = async (approve, n) => {
    app.busy[r.id] = true; render();
    try {
      await app.family.decide(child.agent, r.id, approve, n);
      app.notes[r.id] = approve ? tr('granted', { n }) : tr('declined');
      app.family.status(child.agent).catch(() => {});
    } catch (e) { app.notes[r.id] = tr('failed', { why: e.reason ?? e.message }); }
    delete app.busy[r.id]; render();
  };
  const busy = !!app.busy[r.id];
  return h('div', { class: 'request', 'data-request': r.id },
    h('p', { class: 'ask' }, tr('asks', { name: child.name, n: r.minutes }), r.scope === 'games' ? ` ${tr('games')}` : ''),
    r.reason ? h('p', { class: 'reason' }, tr('reason', { r: r.reason })) : null,
    h('div', { class: 'actions' },
      [15, 30, 60].map((n) => h('button', { class: 'grant', 'data-minutes': n, disabled: busy, onclick: () => act(true, n) }, tr('plus', { n }))),
      h('button', { class: 'decline', disabled: busy, onclick: () => act(false, 0) }, tr('decline'))));
}

function homeView() {
  return app.state.children.map((child) => {
    const reqs = pending(child.agent);
    const done = Object.entries(app.notes).filter(([id]) => (app.state.items[child.agent]?.list ?? []).some((i) => i.payload?.id === id));
    return h('section', { class: 'card' }, h('h2', {}, child.name), presenceLine(child), todayLine(child),
      controlsBlock({ h, app, child, render, tr }),
      reqs.length ? reqs.map((i) => requestCard(child, i)) : h('p', { class: 'hint' }, tr('no_requests')),
      done.map(([id, text]) => h('p', { class: 'note', 'data-note': id }, text)));
  });
}

function alertsView() {
  const rows = [];
  for (const child of app.state.children) {
    const p = app.state.presence[child.agent];
    if (p && p.online === false) rows.push(presenceLine(child));
    const blocked = app.state.status[child.agent]?.summary?.blocked;
    const n = blocked && typeof blocked === 'object' ? Object.values(blocked).reduce((a, b) => a + (Number(b) || 0), 0) : 0;
    if (n) rows.push(h('p', { class: 'alert' }, tr('blocked_tries', { name: child.name, n })));
    for (const i of (app.state.items[child.agent]?.list ?? []).filter((x) => x.kind === 'alert' || x.kind === 'harmful_report').reverse()) {
      const kind = i.kind === 'harmful_report' ? 'harmful_report' : i.payload?.kind;
      const label = TEXT[app.lang].alert[kind] ?? controlAlert(app.lang, i.payload) ?? `${tr('alert.other')}: ${kind}`;
      rows.push(h('p', { class: 'alert' }, h('b', {}, child.name), ` — ${label}`, i.payload?.at ? h('span', { class: 'hint' }, ` · ${hhmm(i.payload.at)}`) : ''));
    }
  }
  const notify = async () => {
    app.notes.notify = tr('sending'); render();
    try {
      const r = await turnOnNotifications(app.family, app.lang);
      const bad = Object.values(r).filter((v) => v !== 'ok');
      app.notes.notify = bad.length ? tr('notify_failed', { why: bad.join(', ') }) : tr('notify_done');
    } catch (e) { app.notes.notify = tr('notify_failed', { why: e.reason ?? e.message }); }
    render();
  };
  return h('section', { class: 'card' }, h('h2', {}, tr('tab_alerts')), rows.length ? rows : h('p', { class: 'hint' }, tr('no_alerts')),
    h('button', { 'data-test': 'notify', onclick: notify }, tr('notify_on')),
    app.notes.notify ? h('p', { class: 'note', 'data-test': 'notify-note' }, app.notes.notify) : null);
}

function isoDay(d) { return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`; }

function weekView() {
  return app.state.children.map((child) => {
    const days = {};
    for (const i of app.state.items[child.agent]?.list ?? []) if (i.kind === 'daily_summary' && i.payload?.day) days[i.payload.day] = i.payload;
    const today = app.state.status[child.agent]?.summary;
    if (today?.day) days[today.day] = today;
    const known = Object.keys(days).sort();
    if (!known.length) return h('section', { class: 'card' }, h('h2', {}, child.name), h('p', { class: 'hint' }, tr('no_week')));
    // seven columns ending on the PC's own day (its time zone, not the phone's), empty days included
    const end = new Date(`${today?.day ?? known[known.length - 1]}T12:00:00`);
    const last = Array.from({ length: 7 }, (_, k) => isoDay(new Date(end.getTime() - (6 - k) * 86400000)));
    const top = Math.max(60, ...last.map((d) => mins(days[d]?.screen_s)));
    return h('section', { class: 'card' }, h('h2', {}, child.name), h('p', { class: 'hint' }, tr('week_title')),
      h('div', { class: 'chart', 'data-test': 'week' }, last.map((d) => {
        const m = mins(days[d]?.screen_s);
        const has = days[d]?.screen_s !== undefined;
        return h('div', { class: 'col', 'data-day': d }, h('span', { class: 'v' }, has ? m : '–'),
          h('div', { class: 'b', style: { height: `${has ? Math.round((100 * m) / top) : 0}%` } }),
          h('span', { class: 'd' }, TEXT[app.lang].days[new Date(`${d}T12:00:00`).getDay()]));
      })));
  });
}

// what the PC's rules say now: today's minutes and the end of today's last window (bedtime)
function currentLevers(doc, pcDay) {
  // the PC's own day (its time zone), else the phone's
  const day = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][(pcDay ? new Date(`${pcDay}T12:00:00`) : new Date()).getDay()];
  const minutes = doc?.screen?.daily_minutes?.[day];
  const wins = doc?.screen?.windows?.[day];
  return { minutes: minutes ?? '', bedtime: wins?.length ? wins[wins.length - 1].end : '' };
}

function rulesView() {
  return app.state.children.map((child) => {
    const note = app.notes[`rules:${child.agent}`];
    const now = app.policies[child.agent];
    if (now === undefined && app.family.connected) {
      app.policies[child.agent] = null;  // asked once; the answer re-renders
      app.family.policy(child.agent).then((doc) => { app.policies[child.agent] = currentLevers(doc, app.state.status[child.agent]?.day); render(); })
        .catch(() => { delete app.policies[child.agent]; });
    }
    const minutesKey = `minutes:${child.agent}`, bedKey = `bedtime:${child.agent}`;
    const minutesIn = drafted(h('input', { type: 'number', min: 15, max: 1440, step: 15, value: now?.minutes ?? '', 'data-test': 'daily-minutes' }), minutesKey);
    // a 24-hour text box, not type=time: that one shows the browser's locale ("08:30 PM" on the Vietnamese screen)
    const bedIn = drafted(h('input', { type: 'text', inputmode: 'numeric', maxlength: 5, placeholder: '21:00', value: now?.bedtime ?? '', 'data-test': 'bedtime' }), bedKey);
    const save = async (what) => {
      const n = Number(minutesIn.value);
      if (what === 'minutes' && !(minutesIn.value !== '' && Number.isInteger(n) && n >= 0 && n <= 1440)) {
        app.notes[`rules:${child.agent}`] = tr('bad_minutes'); render(); return;
      }
      if (what === 'bedtime') bedIn.value = typedClock(bedIn.value);
      if (what === 'bedtime' && !/^([01]\d|2[0-3]):[0-5]\d$/.test(bedIn.value)) { app.notes[`rules:${child.agent}`] = tr('bad_time'); render(); return; }
      app.notes[`rules:${child.agent}`] = tr('sending'); render();
      try {
        const v = await app.family.pushPolicy(child.agent, (doc) => {
          if (what === 'minutes') for (const d of Object.keys(doc.screen.daily_minutes)) doc.screen.daily_minutes[d] = Number(minutesIn.value);
          if (what === 'bedtime') {
            for (const d of Object.keys(doc.screen.daily_minutes)) {  // the day's last window now ends at bedtime
              const wins = doc.screen.windows[d];
              if (wins?.length && wins[wins.length - 1].start < bedIn.value) wins[wins.length - 1].end = bedIn.value;
              else doc.screen.windows[d] = [{ start: '06:00', end: bedIn.value }];
            }
          }
        });
        app.policies[child.agent] = { ...app.policies[child.agent], [what]: what === 'minutes' ? minutesIn.value : bedIn.value };
        forget(what === 'minutes' ? minutesKey : bedKey);
        app.notes[`rules:${child.agent}`] = tr('saved', { v });
      } catch (e) { app.notes[`rules:${child.agent}`] = tr('failed', { why: e.reason ?? e.message }); }
      render();
    };
    return h('section', { class: 'card' }, h('h2', {}, tr('rules_for', { name: child.name })),
      h('label', {}, tr('daily_minutes'), h('div', { class: 'row' }, minutesIn, h('button', { onclick: () => save('minutes'), 'data-test': 'save-minutes' }, tr('save')))),
      h('label', {}, tr('bedtime'), h('div', { class: 'row' }, bedIn, h('button', { onclick: () => save('bedtime'), 'data-test': 'save-bedtime' }, tr('save')))),
      note ? h('p', { class: 'note', 'data-test': 'rules-note' }, note) : null);
  });
}

function unlinkedView() {
  const video = h('video', { playsinline: true, muted: true, class: 'scan' });
  const out = h('p', { class: 'note', 'data-test': 'scan-note' });
  const name = drafted(h('input', { type: 'text', maxlength: 60, 'data-test': 'phone-name', value: tr('phone_name_default') }), 'link:name');
  const code = drafted(h('input', { type: 'text', maxlength: 24, autocapitalize: 'characters', 'data-test': 'link-code' }), 'link:code');
  const ws = drafted(h('input', { type: 'url', 'data-test': 'link-ws', value: new URLSearchParams(location.search).get('ws') ?? '' }), 'link:ws');
  let stop = null;
  const link = async (how) => {
    out.textContent = tr('linking');
    try {
      await linkPhone(how, name.value.trim() || tr('phone_name_default'));
      start();  // the linked state is saved: the app opens on it
    } catch (e) { out.textContent = linkFailure(e, app.lang, tr); }
  };
  const btn = h('button', { class: 'primary', 'data-test': 'scan', onclick: async () => {
    if (stop) { stop(); stop = null; btn.textContent = tr('scan'); return; }
    btn.textContent = tr('scan_stop');
    try {
      stop = await startScanner(video, (text) => {
        stop?.(); stop = null;
        btn.textContent = tr('scan');
        out.textContent = tr('scanned');
        window.sproutScanned = text;
        link({ qr: text });
      });
    } catch (e) { out.textContent = tr('camera_no', { why: e.message }); btn.textContent = tr('scan'); }
  } }, tr('scan'));
  const byCode = h('button', { 'data-test': 'link-with-code', onclick: () => link({ code: code.value, ws: ws.value.trim() }) },
    tr('link_code_btn'));
  return h('section', { class: 'card' }, h('h2', {}, tr('not_linked')), h('p', {}, tr('link_how')),
    app.problems.length ? h('p', { class: 'warn' }, tr('bad_state', { why: app.problems.join('; ') })) : null,
    h('label', {}, tr('phone_name'), name), btn, video, out,
    h('details', {}, h('summary', {}, tr('or_code')), h('label', {}, tr('code_label'), code),
      h('label', {}, tr('ws_label'), ws), byCode));
}

function render() {
  document.documentElement.lang = app.lang;
  document.title = tr('title');
  const root = document.getElementById('app');
  const header = h('header', {}, h('img', { src: 'icons/sprout-64.png', alt: '' }), h('h1', {}, tr('title')),
    h('button', { class: 'lang', 'data-test': 'lang', onclick: () => { app.lang = app.lang === 'vi' ? 'en' : 'vi'; setLang(app.lang); render(); } }, tr('lang_other')));
  const typing = whereTyping();
  if (!app.state) { root.replaceChildren(header, h('main', {}, unlinkedView())); backTo(root, typing); return; }
  const conn = app.family?.connected ? null : h('p', { class: 'banner', 'data-test': 'conn' }, app.everConnected ? tr('relay_down') : tr('connecting'));
  const views = { home: homeView, alerts: alertsView, week: weekView, rules: rulesView };
  const nAlerts = app.state.children.reduce((n, c) => n + pending(c.agent).length, 0);
  const tabs = h('nav', {}, ['home', 'alerts', 'week', 'rules'].map((k) => h('button', {
    class: app.tab === k ? 'on' : '', 'data-tab': k, onclick: () => { app.tab = k; render(); },
  }, tr(`tab_${k}`), k === 'home' && nAlerts ? h('span', { class: 'badge' }, nAlerts) : null)));
  const keep = document.activeElement?.getAttribute?.('data-test');
  root.replaceChildren(header, conn ?? '', h('main', {}, views[app.tab]()), tabs);
  if (!backTo(root, typing) && keep) root.querySelector(`[data-test="${keep}"]`)?.focus();
}

async function refresh(agent) {
  await app.family.status(agent).catch(() => {});
  await app.family.fetchItems(agent).catch(() => {});
}

async function poll(agent) {
  // lane 1 long-polls: a request written while no push session existed still arrives at once
  for (;;) {
    if (app.family.connected) {
      try { await app.family.fetchItems(agent, 25); } catch { await new Promise((r) => setTimeout(r, 3000)); }
    } else await new Promise((r) => setTimeout(r, 1000));
  }
}

function start() {
  const loaded = loadState();
  app.problems = loaded.problems;
  if (loaded.linked) {
    app.state = loaded.state;
    app.family = new Family(app.state, (what) => {
      if (what === 'connected') {
        app.everConnected = true;
        for (const c of app.state.children) refresh(c.agent);
      }
      render();
    });
    app.family.connect();
    for (const c of app.state.children) poll(c.agent);
    setInterval(() => { if (app.family.connected) for (const c of app.state.children) app.family.status(c.agent).catch(() => {}); }, 60000);
  }
  render();
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('sw.js').catch(() => {});
  window.sproutApp = app;  // for the browser tests: what the app holds
}

start();
