// The phone app's service worker: the app's shell works offline (network first, the cached copy when there is
// none). Only this app's own static files are cached; nothing a PC sent is ever stored here (that stays in the
// page's localStorage). Web Push (phone/src/sw-push.js, built to sw-push.js) adds its handlers to this same worker:
// one scope has one service worker.
importScripts('sw-push.js');
const CACHE = 'sprout-phone-v1';
const SHELL = ['./', './index.html', './app.js', './app.css', './manifest.webmanifest', './sw-push.js', './icons/sprout-64.png',
  './icons/sprout-128.png', './icons/sprout-256.png', './icons/sprout-192.png', './icons/sprout-512.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith(fetch(event.request).then((res) => {
    if (res.ok) { const copy = res.clone(); caches.open(CACHE).then((c) => c.put(event.request, copy)); }
    return res;
  }).catch(() => caches.match(event.request, { ignoreSearch: true }).then((hit) => hit ?? caches.match('./index.html'))));
});
