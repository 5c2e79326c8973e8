// Linking the parent's phone (docs/phone-linking.md): the phone's side of agent/protocol/phone_link.py, on audited
// libraries only — @noble/curves (Ed25519, X25519), @noble/hashes (SHA-256, HKDF, scrypt), @noble/ciphers
// (ChaCha20-Poly1305). Built by esbuild into resources/phone/link.js; the shared vectors
// (resources/phone/link-vectors.json, written by tools/phone_link_vectors.py) are what both sides pass.
//
// The phone app's flow:
//   const me = newIdentity();                                  // once; keep me.secret in the phone's storage
//   const start = await startLink({ qr: scannedText }, me, 'Điện thoại của mẹ');   // or { code: typed }
//   connect to the broker (start.broker / start.ws, or the app's own broker for a typed code) as
//     LINK_ACCOUNT / LINK_PASSWORD; subscribe start.respTopic; publish start.hello on start.reqTopic
//   const family = finishLink(start, me, answerBytes);       // throws LinkError(code) with refusalText(code, lang)
//   family.relay = {broker, ws, ca, username, password}: the phone's own broker account from now on
//   family.agents = [{id, name, sign, kx}]: the child PCs to pin; topics sprout/v1/<agent>/in|out/<relay.username>
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { scrypt, scryptAsync } from '@noble/hashes/scrypt.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { b64e, b64d } from './envelope.js';

export const VERSION = 1;
export const LINK_ACCOUNT = 'sprout-link';
export const LINK_PASSWORD = 'sprout-link';
export const LOCATOR_CHARS = 4;
export const CODE_CHARS = 16;
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SCRYPT = { N: 1 << 15, r: 8, p: 1, dkLen: 32 };
const SALT = new TextEncoder().encode('sprout/phone-link');
const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

export class LinkError extends Error {
  constructor(code, reason) { super(`${code}: ${reason}`); this.code = code; this.reason = reason; }
}

// What the phone shows for each refusal, in the parent's language.
const REFUSALS = {
  wrong_code: { vi: 'Mã hoặc mã QR không khớp với mã trên máy tính của cha mẹ.', en: 'The code or QR code does not match the one on the console.' },
  expired: { vi: 'Mã đã hết hạn. Hãy tạo mã mới trên máy tính.', en: 'The code has expired. Make a new one on the console.' },
  used: { vi: 'Mã này đã được dùng hoặc đã bị huỷ. Hãy tạo mã mới.', en: 'This code was already used or burnt. Make a new one.' },
  removed: { vi: 'Điện thoại này đã bị gỡ khỏi gia đình. Hãy liên kết lại từ đầu.', en: 'This phone was removed from the family. Link it again from the start.' },
  no_slot: { vi: 'Máy chủ chuyển tiếp chưa có tài khoản trống cho điện thoại.', en: 'The relay broker has no free account for a phone.' },
  phone_removed: { vi: 'Điện thoại này đã bị gỡ: máy của con không nhận lệnh từ nó nữa.', en: 'This phone was removed: the child\'s PC no longer takes its messages.' },
  wrong_console: { vi: 'Câu trả lời không đến từ máy tính đã hiện mã QR.', en: 'The answer did not come from the console that showed the QR code.' },
  forged: { vi: 'Câu trả lời bị giả mạo hoặc hỏng trên đường truyền.', en: 'The answer was forged or damaged on the way.' },
  bad_code: { vi: 'Mã gõ chưa đúng (gõ nhầm một ký tự?).', en: 'The typed code is not right (a typo?).' },
  bad_qr: { vi: 'Đây không phải mã QR liên kết của Sprout.', en: 'This is not a Sprout link QR code.' },
};
export function refusalText(code, lang = 'en') {
  const t = REFUSALS[code];
  return t ? (t[lang] ?? t.en) : (lang === 'vi' ? 'Không liên kết được.' : 'Could not link.');
}

// ---- shared helpers ------------------------------------------------------------------------------------------
export function canonicalJson(value) {
  // agent.policy.canonical.canonical_json: sorted keys, no spaces, UTF-8, integers only
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new LinkError('bad_payload', 'floats are not allowed in canonical form');
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let i = 0;
  for (const p of parts) { out.set(p, i); i += p.length; }
  return out;
}

function kdf(ikm, info) { return hkdf(sha256, ikm, SALT, enc.encode(info), 32); }

function base32(bytes) {
  let bits = 0, value = 0, out = '';
  for (const b of bytes) {
    value = (value << 8) | b; bits += 8;
    while (bits >= 5) { out += B32[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

function luhn(text, alphabet) {
  const n = alphabet.length;
  let factor = 1, total = 0;
  for (const ch of text) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new LinkError('bad_code', `character ${ch} is not in the alphabet`);
    const addend = factor * i;
    factor = factor === 2 ? 1 : 2;
    total += Math.floor(addend / n) + (addend % n);
  }
  return alphabet[(n - (total % n)) % n];
}

// ---- identities ----------------------------------------------------------------------------------------------
export function deviceId(signPublic, kxPublic) {
  return base32(sha256(concat(enc.encode('sprout-device-id\0'), signPublic, kxPublic))).slice(0, 52);
}

// The phone's own long-term identity, made on the phone: 64 random bytes (Ed25519 seed ‖ X25519 key), the same
// layout as agent/protocol/identity.py. Keep `secret` in the phone's storage; only public halves ever leave.
export function identityFromSecret(secret, name = '') {
  if (!(secret instanceof Uint8Array) || secret.length !== 64) throw new RangeError('an identity secret is 64 bytes');
  const signPrivate = secret.slice(0, 32), kxPrivate = secret.slice(32);
  const signPublic = ed25519.getPublicKey(signPrivate), kxPublic = x25519.getPublicKey(kxPrivate);
  return { secret, name, signPrivate, kxPrivate, signPublic, kxPublic, id: deviceId(signPublic, kxPublic) };
}
export function newIdentity(name = '') { return identityFromSecret(randomBytes(64), name); }
export function publicKeys(me) { return { sign: b64e(me.signPublic), kx: b64e(me.kxPublic), name: me.name }; }

// ---- the QR and the code -------------------------------------------------------------------------------------
export function parseQr(text) {
  text = String(text).trim();
  if (!text.startsWith('sprout:phone?')) throw new LinkError('bad_qr', 'not a Sprout phone link (sprout:phone?…)');
  const q = new URLSearchParams(text.slice('sprout:phone?'.length));
  if (q.get('v') !== String(VERSION)) throw new LinkError('bad_qr', `v: this phone speaks link version ${VERSION}`);
  const locator = q.get('l') ?? '';
  if (locator.length !== LOCATOR_CHARS || [...locator].some((c) => !CODE_ALPHABET.includes(c))) throw new LinkError('bad_qr', 'l: not a link locator');
  let secret;
  try { secret = b64d(q.get('s') ?? '', 's'); } catch { throw new LinkError('bad_qr', 's: not base64url'); }
  if (secret.length !== 32) throw new LinkError('bad_qr', 's: the link secret is 32 bytes');
  const consoleId = q.get('c') ?? '';
  if (!/^[A-Z2-7]{52}$/.test(consoleId)) throw new LinkError('bad_qr', 'c: not a device ID');
  const expires = Number(q.get('x'));
  if (!Number.isSafeInteger(expires)) throw new LinkError('bad_qr', 'x: the expiry is not a number');
  return { locator, secret, consoleId, expires, broker: q.get('b') ?? '', ws: q.get('w') ?? '', caFp: q.get('f') ?? '' };
}

export function normalizeCode(text) {
  const table = { O: '0', I: '1', L: '1' };
  const cleaned = [...String(text).replace(/[\s-]/g, '').toUpperCase()].map((c) => table[c] ?? c).join('');
  if (cleaned.length !== CODE_CHARS) throw new LinkError('bad_code', `a phone link code has ${CODE_CHARS} characters, this one has ${cleaned.length}`);
  const bad = [...cleaned].find((c) => !CODE_ALPHABET.includes(c));
  if (bad) throw new LinkError('bad_code', `character ${bad} cannot appear in a link code`);
  if (luhn(cleaned.slice(0, -1), CODE_ALPHABET) !== cleaned.slice(-1)) throw new LinkError('bad_code', 'the check character does not match: a typo in the code?');
  return cleaned;
}

// base64url(SHA-256 of the CA certificate's DER), to compare with the QR's `f` before trusting the CA it gets.
export function caFingerprint(pem) {
  const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return b64e(sha256(Uint8Array.from(atob(body), (c) => c.charCodeAt(0))));
}

// The link key: HKDF of the QR's 256-bit secret, or scrypt (N=2^15, r=8: 32 MiB) of the typed code, then HKDF.
export async function linkKey(mode, locator, { secret, code } = {}) {
  const info = `link key ${mode}\0${locator}`;
  if (mode === 'qr' && secret) return kdf(secret, info);
  if (mode === 'code' && code) {
    const stretched = await scryptAsync(enc.encode(normalizeCode(code)), concat(SALT, enc.encode(`\0${locator}`)), SCRYPT);
    return kdf(stretched, info);
  }
  throw new RangeError("linkKey: a QR secret for mode 'qr', a code for mode 'code'");
}
export function linkKeySync(mode, locator, { secret, code } = {}) {
  const info = `link key ${mode}\0${locator}`;
  if (mode === 'qr' && secret) return kdf(secret, info);
  const stretched = scrypt(enc.encode(normalizeCode(code)), concat(SALT, enc.encode(`\0${locator}`)), SCRYPT);
  return kdf(stretched, info);
}

export function reqTopic(locator) { return `sprout/v1/link/${locator}/req`; }
export function respTopic(locator) { return `sprout/v1/link/${locator}/resp`; }

// ---- hello and offer -----------------------------------------------------------------------------------------
export function makeHello(key, mode, locator, me, name, nonce = randomBytes(12)) {
  const phone = { sign: b64e(me.signPublic), kx: b64e(me.kxPublic) };
  const aad = enc.encode(canonicalJson({ v: VERSION, mode, locator, phone, nonce: b64e(nonce) }));
  const inner = enc.encode(canonicalJson({ name: [...name].slice(0, 80).join('') }));
  const box = chacha20poly1305(kdf(key, 'hello box'), nonce, aad).encrypt(inner);
  return canonicalJson({ v: VERSION, mode, phone, nonce: b64e(nonce), box: b64e(box) });
}

function verifyStatement(payload, consoleKeys, kind) {
  const st = payload?.statement;
  if (!st || typeof st !== 'object') throw new LinkError('bad_payload', `${kind} needs a statement object`);
  const msg = concat(enc.encode(`sprout ${kind}\0`), enc.encode(canonicalJson(st)));
  let ok = false;
  try { ok = ed25519.verify(b64d(payload.sig, 'sig'), msg, consoleKeys.signPublic); } catch { ok = false; }
  if (!ok || st.kind !== kind || st.console !== consoleKeys.id) throw new LinkError('bad_signature', `the ${kind} statement does not verify with the console's key`);
  return st;
}

// The console's answer → {console:{id,name,sign,kx}, agents, relay, phoneAdd}; LinkError(code) on a refusal.
export function openOffer(key, me, hello, wire, consoleId = null) {
  let data;
  try { data = JSON.parse(typeof wire === 'string' ? wire : dec.decode(wire)); } catch { throw new LinkError('bad_link', 'the answer is not JSON'); }
  if (!data || data.v !== VERSION) throw new LinkError('bad_link', `the answer is not a link v${VERSION} message`);
  if ('error' in data) throw new LinkError(String(data.error).slice(0, 40), refusalText(String(data.error)));
  const c = data.console ?? {};
  const cKeys = { signPublic: b64d(c.sign, 'console.sign'), kxPublic: b64d(c.kx, 'console.kx') };
  if (cKeys.signPublic.length !== 32 || cKeys.kxPublic.length !== 32) throw new LinkError('bad_keys', 'public keys are 32 bytes each');
  cKeys.id = deviceId(cKeys.signPublic, cKeys.kxPublic);
  if (consoleId !== null && cKeys.id !== consoleId) throw new LinkError('wrong_console', refusalText('wrong_console'));
  const helloBytes = typeof hello === 'string' ? enc.encode(hello) : hello;
  const digest = b64e(sha256(helloBytes));
  const dh = x25519.getSharedSecret(me.kxPrivate, cKeys.kxPublic);
  const aad = enc.encode(canonicalJson({ v: VERSION, console: { sign: c.sign, kx: c.kx }, hello: digest }));
  let plain;
  try {
    plain = chacha20poly1305(kdf(concat(key, dh), `offer\0${digest}`), new Uint8Array(12), aad).decrypt(b64d(data.box, 'box'));
  } catch { throw new LinkError('forged', refusalText('forged')); }
  const offer = JSON.parse(dec.decode(plain));
  cKeys.name = String(offer.console_name ?? '');  // names travel only inside the box
  verifyStatement(offer.phone_add, cKeys, 'phone_add');
  if (offer.phone_add.statement.phone_id !== me.id) throw new LinkError('bad_payload', 'the console signed another phone');
  return { console: { id: cKeys.id, name: cKeys.name, sign: c.sign, kx: c.kx }, agents: offer.agents, relay: offer.relay, phoneAdd: offer.phone_add };
}

// ---- the two calls the phone app's QR screen makes -----------------------------------------------------------
// startLink({qr} | {code}, me, name) → {mode, locator, key, hello, reqTopic, respTopic, consoleId, broker, ws, caFp, expires}
export async function startLink({ qr, code } = {}, me, name) {
  let mode, locator, key, consoleId = null, broker = '', ws = '', caFp = '', expires = null;
  if (qr) {
    const f = parseQr(qr);
    ({ locator, consoleId, broker, ws, caFp, expires } = f);
    mode = 'qr';
    key = await linkKey('qr', locator, { secret: f.secret });
  } else {
    const c = normalizeCode(code);
    mode = 'code';
    locator = c.slice(0, LOCATOR_CHARS);
    key = await linkKey('code', locator, { code: c });
  }
  const hello = makeHello(key, mode, locator, me, name);
  return { mode, locator, key, hello, reqTopic: reqTopic(locator), respTopic: respTopic(locator), consoleId, broker, ws, caFp, expires };
}

// finishLink(start, me, answer) → {console, agents, relay, phoneAdd}; check relay.ca against start.caFp (QR).
export function finishLink(start, me, answer) {
  const family = openOffer(start.key, me, start.hello, answer, start.consoleId);
  if (start.caFp && family.relay?.ca && caFingerprint(family.relay.ca) !== start.caFp) throw new LinkError('wrong_ca', "the broker's CA is not the one in the QR code");
  return family;
}
