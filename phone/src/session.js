// Protocol v2 (agent/protocol/session.py): the forward-secret session layer around v1 envelopes, the console's
// (and so the phone's) half. Same primitives as the Python side, from audited libraries only: X25519
// (@noble/curves), HKDF-SHA256 (@noble/hashes), ChaCha20-Poly1305 (@noble/ciphers). The shared vectors
// (resources/phone/session-vectors.json, written by tools/envelope_vectors.py) are what both sides pass.
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { randomBytes } from '@noble/hashes/utils.js';

export const MAGIC_H1 = Uint8Array.of(2, 1);
export const MAGIC_H2 = Uint8Array.of(2, 2);
export const MAGIC_T = Uint8Array.of(2, 3);
export const SID_BYTES = 16;
export const H1_LEN = 2 + SID_BYTES + 32 + 16;
export const T_HEAD = 2 + SID_BYTES + 8;
const SALT = new TextEncoder().encode('sprout/link/v2');
const ZERO_NONCE = new Uint8Array(12);
const enc = new TextEncoder();

export class SessionError extends Error {
  constructor(code, reason) { super(`${code}: ${reason}`); this.code = code; this.reason = reason; }
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function equal(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];  // no early exit: a sid compare in constant time
  return d === 0;
}

const kdf = (ikm, info) => hkdf(sha256, ikm, SALT, info, 32);

function dh(priv, pub) {
  try { return x25519.getSharedSecret(priv, pub); } catch {
    // a small-order point gives all zeros: refuse rather than derive from nothing (as the Python side does)
    throw new SessionError('bad_session', 'an ephemeral key is of small order');
  }
}

function transcript(consoleId, agentId, sid, eC, eA = new Uint8Array(0)) {
  return concat(enc.encode(`sprout v2\0${consoleId}\0${agentId}\0`), sid, eC, eA);
}

const tag = (key, t) => chacha20poly1305(key, ZERO_NONCE, t).encrypt(new Uint8Array(0));

export function isTransport(wire) { return wire.length >= 2 && wire[0] === 2 && wire[1] === 3; }

// One session's transport keys; nothing ephemeral is kept.
export class Session {
  constructor(sid, peer, sendKey, recvKey, created) {
    this.sid = sid; this.peer = peer; this.created = created;
    this.sendKey = sendKey; this.recvKey = recvKey; this.ctr = 0n;
  }

  seal(inner) {
    this.ctr += 1n;
    const head = new Uint8Array(T_HEAD);
    head.set(MAGIC_T, 0); head.set(this.sid, 2);
    new DataView(head.buffer).setBigUint64(2 + SID_BYTES, this.ctr);
    const nonce = concat(new Uint8Array(4), head.subarray(T_HEAD - 8));
    return concat(head, chacha20poly1305(this.sendKey, nonce, head).encrypt(inner));
  }

  open(wire) {
    if (wire.length < T_HEAD + 16 || !isTransport(wire) || !equal(wire.subarray(2, 2 + SID_BYTES), this.sid)) {
      throw new SessionError('bad_session', 'not a transport message of this session');
    }
    const head = wire.subarray(0, T_HEAD);
    const nonce = concat(new Uint8Array(4), head.subarray(T_HEAD - 8));
    try { return chacha20poly1305(this.recvKey, nonce, head).decrypt(wire.subarray(T_HEAD)); } catch {
      throw new SessionError('forged', 'authentication failed: altered, or sealed in another session');
    }
  }

  // an agent's reply: its status (2 bytes) and the v1 envelope, both sealed
  openReply(wire) {
    const inner = this.open(wire);
    if (inner.length < 2) throw new SessionError('bad_session', 'a reply without its status');
    return { status: (inner[0] << 8) | inner[1], envelope: new TextDecoder().decode(inner.subarray(2)) };
  }
}

// The console's half: hello() makes H1, finish(H2) gives the Session. me: {id, kxPrivate}; agent: {id, kxPublic}.
// sid and ephemeral are injected only by the shared vectors; otherwise they are fresh random bytes.
export class Handshake {
  constructor(me, agent, { sid, ephemeral, now } = {}) {
    this.me = me; this.agent = agent;
    this.sid = sid ?? randomBytes(SID_BYTES);
    this.e = ephemeral ?? x25519.utils.randomSecretKey();
    this.ePub = x25519.getPublicKey(this.e);
    this.ss = dh(me.kxPrivate, agent.kxPublic);
    this.now = now ?? (() => Date.now() / 1000);
  }

  hello() {
    const es = dh(this.e, this.agent.kxPublic);
    const t1 = transcript(this.me.id, this.agent.id, this.sid, this.ePub);
    return concat(MAGIC_H1, this.sid, this.ePub, tag(kdf(concat(es, this.ss), concat(enc.encode('h1\0'), t1)), t1));
  }

  finish(h2) {
    if (this.e === null) throw new SessionError('bad_session', 'this handshake is already finished');
    if (h2.length !== H1_LEN || h2[0] !== 2 || h2[1] !== 2 || !equal(h2.subarray(2, 2 + SID_BYTES), this.sid)) {
      throw new SessionError('bad_session', 'not the answer to this handshake');
    }
    const eA = h2.subarray(2 + SID_BYTES, 2 + SID_BYTES + 32);
    const ee = dh(this.e, eA);
    const es = dh(this.e, this.agent.kxPublic);
    const se = dh(this.me.kxPrivate, eA);
    const ikm = concat(ee, es, se, this.ss);
    const t2 = transcript(this.me.id, this.agent.id, this.sid, this.ePub, eA);
    try {
      chacha20poly1305(kdf(ikm, concat(enc.encode('h2\0'), t2)), ZERO_NONCE, t2).decrypt(h2.subarray(h2.length - 16));
    } catch {
      throw new SessionError('session_forged', "the agent's handshake was not made with the pinned key");
    }
    this.e.fill(0);
    this.e = null;  // forward secrecy: the ephemeral key goes now
    const c2a = kdf(ikm, concat(enc.encode('c2a\0'), t2));
    const a2c = kdf(ikm, concat(enc.encode('a2c\0'), t2));
    return new Session(this.sid, this.agent.id, c2a, a2c, this.now());
  }
}
