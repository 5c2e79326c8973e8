// Runs the built bundle (resources/phone/session.js) against the shared v2 vectors written by the Python
// implementation (tools/envelope_vectors.py); prints {ok, fail} as one JSON line, exits 1 on a miss.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const vectorsPath = process.argv[2];
const bundle = process.argv[3] ?? resolve(vectorsPath, '..', 'session.js');
const { Handshake, SessionError } = await import(pathToFileURL(bundle).href);
const v = JSON.parse(readFileSync(vectorsPath, 'utf-8'));
const hex = (h) => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const me = { id: v.console.id, kxPrivate: hex(v.console.kx_private) };
const agent = { id: v.agent.id, kxPublic: hex(v.agent.kx_public) };
const fresh = () => new Handshake(me, agent, { sid: hex(v.sid), ephemeral: hex(v.console_ephemeral), now: () => 0 });
let ok = 0;
const fail = [];
const check = (cond, what) => { if (cond) ok++; else fail.push(what); };
const refused = (fn, code, what) => {
  try { fn(); fail.push(`${what}: accepted`); } catch (e) {
    if (e instanceof SessionError && e.code === code) ok++; else fail.push(`${what}: ${e.code ?? e}`);
  }
};

const hs = fresh();
check(toHex(hs.hello()) === v.h1, 'h1');
const session = hs.finish(hex(v.h2));
for (const t of v.c2a) check(toHex(session.seal(new TextEncoder().encode(t.inner))) === t.wire, 'c2a seal');
const reply = session.openReply(hex(v.a2c_reply.wire));
check(reply.status === v.a2c_reply.status && reply.envelope === v.a2c_reply.envelope, 'a2c reply');
check(new TextDecoder().decode(session.open(hex(v.a2c_push.wire))) === v.a2c_push.envelope, 'a2c push');
refused(() => hs.finish(hex(v.h2)), 'bad_session', 'a second finish');
for (const t of v.refuse_h2) refused(() => { const h = fresh(); h.hello(); h.finish(hex(t.h2)); }, t.code, `h2 ${t.name}`);
for (const t of v.refuse_transport) refused(() => session.open(hex(t.wire)), t.code, `transport ${t.name}`);
console.log(JSON.stringify({ ok, fail }));
process.exit(fail.length ? 1 : 0);
