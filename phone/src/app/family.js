// The phone's end of the relay (docs/relay.md): the same sealed envelopes, v2 sessions, counters and signatures as
// the console (app/relay_client.py, app/link_client.py), over MQTT v5 on WebSockets (mqtt.js). The broker sees
// only device-ID topics and random-looking bytes.
import mqtt from 'mqtt';
import { ed25519 } from '@noble/curves/ed25519.js';
import { Channel, EnvelopeError, b64e } from '../envelope.js';
import { Handshake, isTransport, SID_BYTES } from '../session.js';
import { hex, saveState } from './state.js';

const enc = new TextEncoder();
const SESSION_MAX_AGE_S = 3600;
const LANE_CMD = 0, LANE_POLL = 1, LANE_PUSH = 2;

export class FamilyError extends Error {
  constructor(code, reason) { super(`${code}: ${reason}`); this.code = code; this.reason = reason; }
}

// canonical JSON (agent/policy/canonical.py): sorted keys, no spaces, UTF-8, no floats
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isInteger(value)) throw new FamilyError('not_signable', 'floats cannot be signed');
  return JSON.stringify(value);
}

const topic = (agent, kind, me) => `sprout/v1/${agent}/${kind}${me ? `/${me}` : ''}`;

export class Family {
  // state: the linked phone's state (state.js); onChange(what) re-renders
  constructor(state, onChange) {
    this.state = state;
    this.onChange = onChange;
    this.me = state.phone.id;
    // the phone's broker account names its topics: a slot the console handed over at linking (docs/phone-linking.md)
    this.account = state.broker.username;
    this.keys = { sign: hex(state.phone.sign_private), kx: hex(state.phone.kx_private) };
    this.sessions = new Map();  // agent → {session, made}
    this.oldSessions = new Map();  // sid hex → session: pushes may still come in a replaced one
    this.waiting = new Map();  // correlation hex → resolve
    this.channels = new Map();  // agent → {kx, channel}
    this.client = null;
    this.connected = false;
    this.locks = new Map();  // agent:lane → promise: one request in flight per lane, as the console's file lock
  }

  child(agent) { return this.state.children.find((c) => c.agent === agent); }

  connect() {
    const b = this.state.broker;
    this.client = mqtt.connect(b.ws, {
      protocolVersion: 5, username: b.username, password: b.password, clean: true, reconnectPeriod: 2000,
      connectTimeout: 10000, timerVariant: 'native', clientId: `phone-${this.me.slice(0, 12)}-${hex.random(4)}`,
      properties: { sessionExpiryInterval: 0 },  // exactly-once comes from seq + cursor, not broker sessions
    });
    this.client.on('connect', () => {
      this.connected = true;
      const topics = {};
      for (const c of this.state.children) {
        topics[topic(c.agent, 'out', this.account)] = { qos: 1 };
        topics[topic(c.agent, 'presence')] = { qos: 1 };
      }
      this.client.subscribe(topics, () => this.onChange('connected'));
    });
    this.client.on('close', () => { if (this.connected) { this.connected = false; this.onChange('offline'); } });
    this.client.on('error', () => this.onChange('offline'));
    this.client.on('message', (t, payload, packet) => this.onMessage(t, payload, packet));
  }

  onMessage(t, payload, packet) {
    const parts = t.split('/');
    const agent = parts[2];
    if (!this.child(agent)) return;
    if (parts[3] === 'presence') {
      const online = payload.length === 1 && payload[0] === 0x31;
      const book = (this.state.presence[agent] ??= {});
      const now = Date.now() / 1000;
      if (online) Object.assign(book, { online: true, seen: now });
      else if (book.online !== false) Object.assign(book, { online: false, since: packet.retain ? (book.seen ?? null) : now });
      saveState(this.state);
      this.onChange('presence');
      return;
    }
    if (parts[3] !== 'out' || parts[4] !== this.account) return;
    const props = packet.properties ?? {};
    const corr = props.correlationData;
    if (corr) {
      const w = this.waiting.get(hex.of(corr));
      if (w) { this.waiting.delete(hex.of(corr)); w({ data: new Uint8Array(payload), props: props.userProperties ?? {} }); }
      return;
    }
    this.onPush(agent, new Uint8Array(payload));
  }

  onPush(agent, wire) {
    if (!isTransport(wire)) return;
    const sid = hex.of(wire.subarray(2, 2 + SID_BYTES));
    const cur = this.sessions.get(agent)?.session;
    const session = cur && hex.of(cur.sid) === sid ? cur : this.oldSessions.get(sid);
    if (!session || session.peer !== agent) return;
    let opened;
    try {
      opened = this.channel(agent).open(new TextDecoder().decode(session.open(wire)), (lane) => this.lastRecv(agent, lane));
    } catch { return; }  // forged, replayed or not ours: ignored
    if (opened.header.kind !== 'push' || opened.header.lane !== LANE_PUSH) return;
    this.acceptRecv(agent, LANE_PUSH, opened.header.ctr);
    this.storeItems(agent, opened.payload?.items ?? []);
  }

  // items follow the cursor or are left for the next fetch: exactly once from seq + cursor
  storeItems(agent, items) {
    const book = (this.state.items[agent] ??= { cursor: 0, list: [] });
    const fresh = items.filter((i) => Number.isInteger(i?.seq) && i.seq > book.cursor).sort((a, b) => a.seq - b.seq);
    let added = 0;
    for (const i of fresh) {
      if (i.seq !== book.cursor + 1) break;
      book.list.push(i);
      book.cursor = i.seq;
      added++;
    }
    book.list = book.list.slice(-400);
    if (added) { saveState(this.state); this.onChange('items'); }
    return added === fresh.length;
  }

  // one channel per PC (an X25519 agreement in JavaScript costs about a millisecond: not again for every message)
  channel(agent) {
    const c = this.child(agent);
    const have = this.channels.get(agent);
    if (have && have.kx === c.kx_public) return have.channel;
    const channel = new Channel({ id: this.me, kxPrivate: this.keys.kx }, { id: agent, kxPublic: hex(c.kx_public) });
    this.channels.set(agent, { kx: c.kx_public, channel });
    return channel;
  }

  counters(agent) { return (this.state.counters[agent] ??= { send: {}, recv: {} }); }
  lastRecv(agent, lane) { return this.counters(agent).recv[lane] ?? 0; }
  acceptRecv(agent, lane, ctr) { this.counters(agent).recv[lane] = ctr; saveState(this.state); }
  nextSend(agent, lane) {
    const c = this.counters(agent);
    c.send[lane] = (c.send[lane] ?? 0) + 1;
    saveState(this.state);  // stored before sending: no nonce is ever used twice, even after a crash
    return c.send[lane];
  }

  exchange(agent, body, timeoutMs) {
    if (!this.client?.connected) return Promise.reject(new FamilyError('unreachable', 'not connected to the relay'));
    const corr = crypto.getRandomValues(new Uint8Array(16));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.waiting.delete(hex.of(corr)); reject(new FamilyError('unreachable', 'no answer through the relay')); }, timeoutMs);
      this.waiting.set(hex.of(corr), (r) => { clearTimeout(timer); resolve(r); });
      this.client.publish(topic(agent, 'in', this.account), body, { qos: 1, properties: { correlationData: corr } });
    });
  }

  async session(agent, timeoutMs) {
    const have = this.sessions.get(agent);
    if (have && Date.now() / 1000 - have.session.created < SESSION_MAX_AGE_S) return have.session;
    const c = this.child(agent);
    const hs = new Handshake({ id: this.me, kxPrivate: this.keys.kx }, { id: agent, kxPublic: hex(c.kx_public) });
    const { data, props } = await this.exchange(agent, hs.hello(), timeoutMs);
    if (props.error || props.status) throw new FamilyError(props.error ?? 'session_refused', 'the PC refused a new session');
    const session = hs.finish(data);
    if (have) {
      this.oldSessions.set(hex.of(have.session.sid), have.session);
      while (this.oldSessions.size > 4) this.oldSessions.delete(this.oldSessions.keys().next().value);
    }
    this.sessions.set(agent, { session });
    return session;
  }

  signedClock(agent) {
    const at = Math.floor(Date.now() / 1000);
    const sig = ed25519.sign(enc.encode(`sprout clock\0${agent}\0${at}.0`), this.keys.sign);
    return { at, device: agent, sig: b64e(sig) };
  }

  // one request of a link message kind (agent/link/service.py) → the agent's reply payload
  async request(agent, kind, payload = {}, { lane = LANE_CMD, timeoutMs = 15000 } = {}) {
    const key = `${agent}:${lane}`;
    const before = this.locks.get(key) ?? Promise.resolve();
    const run = before.catch(() => {}).then(() => this._request(agent, kind, payload, lane, timeoutMs));
    this.locks.set(key, run);
    return run;
  }

  async _request(agent, kind, payload, lane, timeoutMs) {
    const body = { ...payload, clock: this.signedClock(agent) };
    for (const attempt of [1, 2]) {
      const session = await this.session(agent, timeoutMs);
      const ctr = this.nextSend(agent, lane);
      const wire = this.channel(agent).seal(kind, body, ctr, 0, lane);
      const { data, props } = await this.exchange(agent, session.seal(enc.encode(wire)), timeoutMs);
      if (props.error === 'unknown_session' && attempt === 1) { this.sessions.delete(agent); continue; }
      if (props.error) throw new FamilyError(props.error, 'the PC refused the session message');
      const { status, envelope } = session.openReply(data);
      let opened;
      try { opened = this.channel(agent).open(envelope, (l) => this.lastRecv(agent, l)); } catch (e) {
        if (e instanceof EnvelopeError) throw new FamilyError(e.code, e.reason);
        throw e;
      }
      const h = opened.header;
      if (h.kind !== 'reply' || h.re !== ctr || h.lane !== lane) throw new FamilyError('bad_reply', 'not the reply to this request');
      this.acceptRecv(agent, lane, h.ctr);
      if (status !== 200 || opened.payload?.error) {
        throw new FamilyError(opened.payload?.error ?? `status_${status}`, opened.payload?.reason ?? 'refused');
      }
      return opened.payload;
    }
    throw new FamilyError('unknown_session', 'the PC keeps forgetting the session');
  }

  sign(context, obj) { return b64e(ed25519.sign(enc.encode(`${context}\0${canonical(obj)}`), this.keys.sign)); }

  async fetchItems(agent, waitS = 0) {
    for (let pages = 0; pages < 20; pages++) {
      const cursor = this.state.items[agent]?.cursor ?? 0;
      const r = await this.request(agent, 'outbox', { cursor, limit: 200, wait_s: waitS },
        { lane: waitS ? LANE_POLL : LANE_CMD, timeoutMs: (waitS + 15) * 1000 });
      this.storeItems(agent, r.items ?? []);
      if ((r.items ?? []).length < 200) return;
    }
  }

  async status(agent) {
    const r = await this.request(agent, 'status');
    this.state.status[agent] = { ...r.status, fetched: Date.now() / 1000 };
    // the child's name as the PC's rules give it: every card, alert and push names the child, not the PC
    const c = this.child(agent);
    const named = typeof r.status?.child_name === 'string' ? r.status.child_name.trim().slice(0, 40) : '';
    if (c && named) c.name = named;
    saveState(this.state);
    this.onChange('status');
    return r.status;
  }

  async decide(agent, requestId, approve, minutes, message = '') {
    const decision = { request_id: requestId, approve, minutes: approve ? minutes : 0, message, device: agent };
    const r = await this.request(agent, 'decision', { decision, signer: this.me, sig: this.sign('sprout decision', decision) });
    this.state.answered[requestId] = { approve, minutes: decision.minutes, at: Date.now() / 1000 };
    saveState(this.state);
    this.onChange('items');
    return r.result;
  }

  // Web Push for when the app is closed (docs/relay.md): the subscription {endpoint, p256dh, auth, vapid, subject,
  // lang} to every PC (a sealed push_subscribe), and sealed to the console, retained on its own topic for this
  // phone's account, so a console that hears a PC's last will can say "offline" too. {agent or 'console': 'ok' | why}
  async givePush(sub) {
    const out = {};
    for (const c of this.state.children) {
      try { await this.request(c.agent, 'push_subscribe', sub); out[c.agent] = 'ok'; } catch (e) { out[c.agent] = e.code ?? e.message; }
    }
    out.console = this.tellConsole('push_subscribe', sub);
    return out;
  }

  async stopPush() {
    for (const c of this.state.children) await this.request(c.agent, 'push_unsubscribe', {}).catch(() => {});
    return this.tellConsole('push_unsubscribe', {});
  }

  // a v1 envelope to the console with this phone's own counter, published retained (the console may be off now)
  tellConsole(kind, payload) {
    const con = this.state.console;
    if (!con?.kx_public) return 'no_console_key';  // linked before the console's key was kept: link again
    if (!this.client?.connected) return 'unreachable';
    const ctr = this.nextSend(con.id, LANE_CMD);
    const wire = new Channel({ id: this.me, kxPrivate: this.keys.kx }, { id: con.id, kxPublic: hex(con.kx_public) })
      .seal(kind, payload, ctr, 0, LANE_CMD);
    this.client.publish(topic(con.id, 'in', this.account), enc.encode(wire), { qos: 1, retain: true });
    return 'ok';
  }

  async policy(agent) { return (await this.request(agent, 'policy_get')).policy; }

  // the main levers: a changed copy of the current policy, newer version, signed like the console's
  async pushPolicy(agent, change) {
    const doc = structuredClone(await this.policy(agent));
    if (!doc) throw new FamilyError('no_policy', 'this PC has no policy yet: set one up from the console first');
    change(doc);
    doc.version = (doc.version ?? 0) + 1;
    const r = await this.request(agent, 'policy_push', { policy: doc, signer: this.me, sig: this.sign('sprout policy', doc) });
    return r.version;
  }
}
