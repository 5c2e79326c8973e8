// Runs the built bundle (resources/phone/link.js) against the shared link vectors; prints one line, exits 1 on a miss.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const vectorsPath = process.argv[2];
const bundle = process.argv[3] ?? resolve(vectorsPath, '..', 'link.js');
const L = await import(pathToFileURL(bundle).href);
const v = JSON.parse(readFileSync(vectorsPath, 'utf-8'));
const hex = (h) => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
let ok = 0;
const fail = [];
const check = (name, cond) => { if (cond) ok++; else fail.push(name); };
const refuses = (name, fn, code) => {
  try { fn(); fail.push(`${name}: accepted`); } catch (e) { if (e instanceof L.LinkError && e.code === code) ok++; else fail.push(`${name}: ${e.code ?? e}`); }
};

const ids = {};
for (const [who, p] of Object.entries(v.parties)) {
  ids[who] = L.identityFromSecret(hex(p.secret), p.name);
  check(`identity ${who}`, ids[who].id === p.id && L.publicKeys(ids[who]).sign === p.sign && L.publicKeys(ids[who]).kx === p.kx);
}
for (const c of v.canonical) check(`canonical ${c.json}`, L.canonicalJson(c.value) === c.json);
check('code as typed', L.normalizeCode(v.code.typed) === v.code.code && L.normalizeCode(v.code.shown) === v.code.code);
refuses('code typo', () => L.normalizeCode(v.code.typo), 'bad_code');
check('ca fingerprint', L.caFingerprint(v.ca.pem) === v.ca.fingerprint);
const q = L.parseQr(v.qr.text);
check('qr fields', q.locator === v.qr.locator && q.consoleId === v.qr.console_id && q.expires === v.qr.expires && q.broker === v.qr.broker && q.ws === v.qr.ws && q.caFp === v.ca.fingerprint);
for (const bad of v.bad_qr) refuses(`bad qr ${bad.slice(0, 30)}`, () => L.parseQr(bad), 'bad_qr');
const kQr = L.linkKeySync('qr', q.locator, { secret: q.secret });
check('key qr', toHex(kQr) === v.keys.qr);
const kCode = await L.linkKey('code', q.locator, { code: v.code.typed });
check('key code (scrypt)', toHex(kCode) === v.keys.code);
for (const h of v.hello) {
  const key = h.mode === 'qr' ? kQr : kCode;
  check(`hello ${h.mode}`, L.makeHello(key, h.mode, q.locator, ids.phone, h.name, hex(h.nonce)) === h.wire);
}
const start = { key: kQr, hello: v.hello[0].wire, consoleId: v.qr.console_id, caFp: v.ca.fingerprint };
const fam = L.finishLink(start, ids.phone, v.offer.wire);
check('offer opened', fam.console.id === v.parties.console.id && fam.console.name === v.parties.console.name
  && L.canonicalJson(fam.agents) === L.canonicalJson(v.offer.agents) && L.canonicalJson(fam.relay) === L.canonicalJson(v.offer.relay)
  && L.canonicalJson(fam.phoneAdd) === L.canonicalJson(v.offer.phone_add));
for (const r of v.refuse) refuses(`refuse ${r.name}`, () => L.openOffer(kQr, ids.phone, v.hello[0].wire, r.wire, r.console_id ?? v.qr.console_id), r.code);
// the high-level calls of the QR screen, with a fresh identity: a hello the vectors' console key opens
const me = L.newIdentity('test');
const s = await L.startLink({ qr: v.qr.text }, me, 'test');
check('startLink', s.reqTopic === `sprout/v1/link/${v.qr.locator}/req` && s.respTopic.endsWith('/resp') && toHex(s.key) === v.keys.qr && JSON.parse(s.hello).mode === 'qr');
check('refusal text vi/en', L.refusalText('expired', 'vi').includes('hết hạn') && L.refusalText('expired', 'en').includes('expired'));
console.log(JSON.stringify({ ok, fail }));
process.exit(fail.length ? 1 : 0);
