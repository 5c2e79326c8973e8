// Linking this phone into the family (docs/phone-linking.md): the scanned QR text (or a typed code) goes to
// link.js's startLink; one hello travels over MQTT on WebSockets under the public link account; the console's
// sealed answer goes to finishLink; what it gives becomes the linked phone's state (state.js), kept in this browser.
import mqtt from 'mqtt';
import { LINK_ACCOUNT, LINK_PASSWORD, LinkError, finishLink, newIdentity, refusalText, startLink } from '../link.js';
import { VERSION, hex, problems, saveState } from './state.js';

const ANSWER_WAIT_MS = 30000;

function b64d(text) {
  const s = String(text).replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(s + '='.repeat((4 - (s.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

const childName = (a) => String((typeof a.child === 'string' && a.child.trim()) || a.name || a.id.slice(0, 7)).slice(0, 40);

// What the app keeps: its own keys, its broker account (a slot the console handed over), the children's PCs.
export function linkedState(me, family, ws) {
  const state = {
    v: VERSION,
    phone: { id: me.id, name: me.name, sign_private: hex.of(me.signPrivate), kx_private: hex.of(me.kxPrivate) },
    broker: { ws, username: family.relay.username, password: family.relay.password },
    console: { id: family.console.id, name: family.console.name, kx_public: hex.of(b64d(family.console.kx)) },
    // the child's name when the console knows it (its PCs said it), else the PC's; the PC's status corrects it
    children: family.agents.map((a) => ({ agent: a.id, name: childName(a), kx_public: hex.of(b64d(a.kx)),
                                          sign_public: hex.of(b64d(a.sign)) })),
  };
  const found = problems(state);
  if (found.length) throw new LinkError('bad_payload', found.join('; '));
  return state;
}

// One hello, one answer: the console's reply on the response topic, or a clear "no answer" after ANSWER_WAIT_MS.
function exchange(ws, start) {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(ws, {
      protocolVersion: 5, username: LINK_ACCOUNT, password: LINK_PASSWORD, clean: true, reconnectPeriod: 0,
      connectTimeout: 10000, timerVariant: 'native', clientId: `link-${hex.random(6)}`,
    });
    const done = (fn, value) => { clearTimeout(timer); client.end(true); fn(value); };
    const timer = setTimeout(() => done(reject, new LinkError('no_answer', 'the console did not answer')), ANSWER_WAIT_MS);
    client.on('error', (e) => done(reject, new LinkError('no_broker', `the family's broker: ${e.message}`)));
    client.on('connect', () => {
      client.subscribe(start.respTopic, { qos: 1 }, (err) => {
        if (err) done(reject, new LinkError('no_broker', err.message));
        else client.publish(start.reqTopic, start.hello, { qos: 1 });
      });
    });
    client.on('message', (topic, payload) => { if (topic === start.respTopic) done(resolve, new Uint8Array(payload)); });
  });
}

// {qr} from the camera or {code} typed (then `ws` is the family broker's address, which a code cannot carry).
export async function linkPhone({ qr, code, ws = '' }, name) {
  const me = newIdentity(name);
  const start = await startLink(qr ? { qr } : { code }, me, name);
  const address = start.ws || ws;
  if (!/^wss?:\/\//.test(address)) throw new LinkError('no_broker', "the family broker's WebSockets address is missing");
  const answer = await exchange(address, start);
  const family = finishLink(start, me, answer);
  const state = linkedState(me, family, family.relay.ws || address);
  saveState(state);
  return state;
}

// The words for a failed link, in the app's language: link.js's own refusals, and the two this module adds.
export function linkFailure(e, lang, tr) {
  if (e instanceof LinkError && ['no_answer', 'no_broker'].includes(e.code)) return tr(`link_${e.code}`);
  if (e instanceof LinkError) return refusalText(e.code, lang) || e.message;
  return tr('link_failed', { why: e?.message ?? String(e) });
}
