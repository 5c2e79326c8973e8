// The phone's side of Web Push, run in Node against pushes the Python sender made (tests/test_webpush_phone.py):
// decrypt each body with the phone's keys through the npm http_ece (an implementation independent of the Python
// one, bundled in test/vendor/), then run the built service worker (resources/phone/sw-push.js) in a sandbox with a
// push event, record its showNotification, tap the notification, record the window it opens.
// Usage: node test/push.mjs CASES.json  → prints one JSON array, one result per case.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createECDH } from 'node:crypto';
import vm from 'node:vm';

const require = createRequire(import.meta.url);
const spec = JSON.parse(readFileSync(process.argv[2], 'utf-8'));
const ece = require(spec.ece);
const swSource = readFileSync(spec.sw, 'utf-8');

async function runWorker(plaintext, navigatorLanguage, openWindows) {
  const listeners = {};
  const shown = [];
  const opened = [];
  const posted = [];
  const self = {
    addEventListener: (type, fn) => { listeners[type] = fn; },
    registration: {
      scope: 'https://phone.sprout.example/app/',
      showNotification: async (title, options) => { shown.push({ title, options }); },
    },
    clients: {
      matchAll: async () => openWindows.map((w) => ({ ...w, postMessage: (m) => posted.push(m), focus: async () => w })),
      openWindow: async (url) => { opened.push(url); return null; },
    },
    navigator: { language: navigatorLanguage },
  };
  const context = vm.createContext({ self, URL, Intl, Date, JSON, Promise, Number, String, Object, Array });
  vm.runInContext(swSource, context, { filename: 'sw-push.js' });
  const waits = [];
  const data = { json: () => JSON.parse(plaintext), text: () => plaintext };
  listeners.push({ data, waitUntil: (p) => waits.push(p) });
  await Promise.all(waits);
  const clicked = [];
  for (const n of shown) {
    const w = [];
    listeners.notificationclick({ notification: { data: n.options.data, close: () => {} }, waitUntil: (p) => w.push(p) });
    await Promise.all(w);
    clicked.push(opened.at(-1) ?? null);
  }
  return { shown, clicked, posted };
}

const out = [];
for (const c of spec.cases) {
  const phone = createECDH('prime256v1');
  phone.setPrivateKey(Buffer.from(c.d, 'base64url'));
  let plaintext;
  try {
    plaintext = ece.decrypt(Buffer.from(c.body, 'base64url'), { version: 'aes128gcm', privateKey: phone,
      authSecret: c.auth }).toString('utf-8');
  } catch (e) {
    out.push({ error: String(e.message ?? e) });
    continue;
  }
  const result = await runWorker(plaintext, c.navigator ?? 'vi-VN', c.windows ?? []);
  out.push({ plaintext, ...result });
}
console.log(JSON.stringify(out));
