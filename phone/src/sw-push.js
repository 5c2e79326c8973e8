// The phone app's Web Push handling, for a service worker (built by esbuild into resources/phone/sw-push.js, a
// classic script: register it as the service worker, or `importScripts('sw-push.js')` from the app's own one).
// The browser has already decrypted the payload (RFC 8291) with the subscription's keys; the push service saw only
// ciphertext of one size. When the app is open and visible it gets the note by postMessage and shows it itself;
// otherwise a notification in the phone's language; a tap opens (or focuses) the app on the right screen.
import { notificationFor } from './push-text.js';

const sw = self;

function readNote(data) {
  if (!data) return null;
  try {
    return data.json();
  } catch {
    return null; // shown as "open the app to see what is new"
  }
}

async function windows() {
  return sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
}

sw.addEventListener('push', (event) => {
  const note = readNote(event.data);
  event.waitUntil((async () => {
    const open = await windows();
    for (const w of open) w.postMessage({ type: 'sprout-push', note });
    if (open.some((w) => w.visibilityState === 'visible' && w.focused)) return; // the open app shows it at once
    const lang = (sw.navigator && sw.navigator.language || 'vi').startsWith('en') ? 'en' : 'vi';
    const { title, options } = notificationFor(note, lang);
    await sw.registration.showNotification(title, { icon: 'icon-192.png', badge: 'icon-192.png', ...options });
  })());
});

sw.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  const route = ['requests', 'alerts', 'home'].includes(data.route) ? data.route : 'home';
  const url = new URL(`./#/${route}`, sw.registration.scope).href;
  event.waitUntil((async () => {
    for (const w of await windows()) {
      if (new URL(w.url).origin === new URL(url).origin && 'focus' in w) {
        w.postMessage({ type: 'sprout-open', route, agent: data.agent ?? null, request: data.request ?? null });
        return w.focus();
      }
    }
    return sw.clients.openWindow(url);
  })());
});

export { notificationFor };
