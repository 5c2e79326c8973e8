// Runs the built bundle (resources/phone/envelope.js) against the shared vectors; prints one line, exits 1 on a miss.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const vectorsPath = process.argv[2];
const bundle = process.argv[3] ?? resolve(vectorsPath, '..', 'envelope.js');
const { Channel, EnvelopeError, hexToBytes } = await import(pathToFileURL(bundle).href);
const v = JSON.parse(readFileSync(vectorsPath, 'utf-8'));
const party = (p) => ({ id: p.id, kxPrivate: hexToBytes(p.kx_private), kxPublic: hexToBytes(p.kx_public) });
const parties = Object.fromEntries(Object.entries(v.parties).map(([k, p]) => [k, party(p)]));
let ok = 0;
const fail = [];
for (const t of v.seal) {
  const chan = new Channel(parties[t.sender], parties[t.receiver]);
  const wire = chan.seal(t.kind, t.payload, t.ctr, t.re, t.lane);
  if (wire !== t.wire) fail.push(`seal ${t.name}`); else ok++;
  const back = new Channel(parties[t.receiver], parties[t.sender]).open(t.wire, () => t.ctr - 1);
  if (JSON.stringify(back.payload) !== JSON.stringify(t.payload) || back.header.kind !== t.kind) fail.push(`open ${t.name}`); else ok++;
}
for (const t of v.refuse) {
  try {
    new Channel(parties[t.receiver], parties[t.sender]).open(t.wire, () => t.last);
    fail.push(`refuse ${t.name}: opened`);
  } catch (e) {
    if (!(e instanceof EnvelopeError) || e.code !== t.code) fail.push(`refuse ${t.name}: ${e.code ?? e}`); else ok++;
  }
}
console.log(JSON.stringify({ ok, fail }));
process.exit(fail.length ? 1 : 0);
