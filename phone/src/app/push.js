// Notifications while the app is closed (docs/relay.md, "Notifications when the phone app is closed"): the browser's
// push subscription, made with a VAPID key pair this phone makes itself (no family- or vendor-wide key), is given
// sealed to every linked PC and to the console (Family.givePush). The push service then sees only ciphertext.
import { p256 } from '@noble/curves/nist.js';
import { b64e } from '../envelope.js';
import { hex, saveState } from './state.js';

const b64u = (bytes) => b64e(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export class PushError extends Error {
  constructor(code, reason) { super(`${code}: ${reason}`); this.code = code; this.reason = reason; }
}

// The subscription payload for push_subscribe, from the browser's PushSubscription JSON and this phone's VAPID key.
export function subscriptionPayload(json, vapidSecret, lang, origin) {
  if (!json?.endpoint || !json?.keys?.p256dh || !json?.keys?.auth) throw new PushError('no_push', 'the browser gave no push keys');
  return { endpoint: json.endpoint, p256dh: json.keys.p256dh, auth: json.keys.auth, vapid: b64u(vapidSecret),
    subject: origin.startsWith('https://') ? origin : 'mailto:parents@sprout.invalid', lang };
}

// Ask the browser (the permission prompt), subscribe, hand the subscription to the PCs and the console.
export async function turnOnNotifications(family, lang) {
  if (!('serviceWorker' in navigator) || typeof PushManager === 'undefined' || typeof Notification === 'undefined') {
    throw new PushError('no_push', 'this browser has no Web Push');
  }
  if (await Notification.requestPermission() !== 'granted') throw new PushError('denied', 'notifications are not allowed');
  const reg = await navigator.serviceWorker.ready;
  if (!family.state.push_vapid) {
    family.state.push_vapid = hex.of(p256.utils.randomSecretKey());
    saveState(family.state);
  }
  const secret = hex(family.state.push_vapid);
  let sub = await reg.pushManager.getSubscription();
  if (!sub) sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: p256.getPublicKey(secret, false) });
  return family.givePush(subscriptionPayload(sub.toJSON(), secret, lang, location.origin));
}
