// The v1 sealed envelope of agent/protocol/envelope.py, for the parent's phone (PWA), on audited libraries only:
// @noble/curves (X25519), @noble/hashes (HKDF-SHA256), @noble/ciphers (ChaCha20-Poly1305). Built by esbuild into
// resources/phone/envelope.js; the shared vectors (resources/phone/envelope-vectors.json) are what both sides pass.
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';

const VERSION = 1;
const LANES = [0, 1, 2];
const MAX_COUNTER = (1n << 63n) - 1n;
const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

export class EnvelopeError extends Error {
  constructor(code, reason) { super(`${code}: ${reason}`); this.code = code; this.reason = reason; }
}

export function b64e(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function b64d(text, what) {
  if (typeof text !== 'string') throw new EnvelopeError('bad_encoding', `${what}: expected a base64url string`);
  try {
    const s = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  } catch { throw new EnvelopeError('bad_encoding', `${what}: not valid base64url`); }
}

export function directionKey(shared, senderId, receiverId) {
  return hkdf(sha256, shared, enc.encode('sprout/link'), enc.encode(`sprout link v${VERSION} ${senderId} -> ${receiverId}`), 32);
}

// canonical JSON as Python's json.dumps(sort_keys=True, separators=(",", ":")) writes it (ASCII fields only)
function headerBytes(h) {
  const q = (s) => JSON.stringify(s);
  return enc.encode(`{"ctr":${h.ctr},"from":${q(h.from)},"kind":${q(h.kind)},"lane":${h.lane},"re":${h.re},"to":${q(h.to)},"v":${VERSION}}`);
}

function nonce(lane, ctr) {
  const n = new Uint8Array(12);
  const v = new DataView(n.buffer);
  v.setUint32(0, lane);
  v.setBigUint64(4, BigInt(ctr));
  return n;
}

export class Channel {
  // me: {id, kxPrivate (32 bytes)}; peer: {id, kxPublic (32 bytes)}
  constructor(me, peer) {
    const shared = x25519.getSharedSecret(me.kxPrivate, peer.kxPublic);
    this.meId = me.id;
    this.peerId = peer.id;
    this.sendKey = directionKey(shared, me.id, peer.id);
    this.recvKey = directionKey(shared, peer.id, me.id);
  }

  seal(kind, payload, ctr, re = 0, lane = 0) {
    if (!(ctr > 0 && BigInt(ctr) <= MAX_COUNTER) || !LANES.includes(lane)) throw new RangeError('counter or lane out of range');
    const header = headerBytes({ kind, from: this.meId, to: this.peerId, ctr, re, lane });
    const body = enc.encode(JSON.stringify(payload));
    const ct = chacha20poly1305(this.sendKey, nonce(lane, ctr), header).encrypt(body);
    return `{"h": "${b64e(header)}", "c": "${b64e(ct)}"}`;
  }

  // lastCounter(lane) -> the highest counter accepted on that lane
  open(wire, lastCounter) {
    let outer;
    try { outer = JSON.parse(wire); } catch { throw new EnvelopeError('bad_envelope', 'the body is not a JSON envelope (truncated?)'); }
    if (!outer || typeof outer !== 'object' || Object.keys(outer).sort().join() !== 'c,h') throw new EnvelopeError('bad_envelope', 'an envelope has exactly the fields h and c');
    const headerRaw = b64d(outer.h, 'h');
    const ct = b64d(outer.c, 'c');
    if (ct.length < 16) throw new EnvelopeError('bad_envelope', 'ciphertext shorter than its authentication tag (truncated?)');
    let h;
    try { h = JSON.parse(dec.decode(headerRaw)); } catch { throw new EnvelopeError('bad_header', 'the envelope header is not JSON'); }
    if (!h || h.v !== VERSION) throw new EnvelopeError('bad_version', `unsupported envelope version (this side speaks v${VERSION})`);
    if (!Number.isSafeInteger(h.ctr) || h.ctr < 1 || !Number.isSafeInteger(h.re ?? 0) || !LANES.includes(h.lane ?? 0)) throw new EnvelopeError('bad_header', 'bad counter, reply-to or lane');
    if (h.from !== this.peerId || h.to !== this.meId) throw new EnvelopeError('wrong_peer', 'the envelope is not from this peer to this device');
    let body;
    try { body = chacha20poly1305(this.recvKey, nonce(h.lane ?? 0, h.ctr), headerRaw).decrypt(ct); } catch { throw new EnvelopeError('forged', 'authentication failed: the message was altered or sealed with another key'); }
    const last = lastCounter(h.lane ?? 0);
    if (h.ctr <= last) throw new EnvelopeError('replay', `counter ${h.ctr} is not above ${last} on lane ${h.lane ?? 0}`);
    let payload;
    try { payload = JSON.parse(dec.decode(body)); } catch { throw new EnvelopeError('bad_payload', 'the decrypted payload is not JSON'); }
    return { header: { kind: h.kind, from: h.from, to: h.to, ctr: h.ctr, re: h.re ?? 0, lane: h.lane ?? 0 }, payload };
  }
}

export function hexToBytes(hex) {
  return Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
}
