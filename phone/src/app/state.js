// The linked phone's state, kept in this browser's localStorage under one key (KEY). Linking writes it
// (docs/relay.md, "The parent's phone app": what a linked phone's state holds); the app reads and updates it.
export const KEY = 'sprout-phone';
export const VERSION = 1;

export function hex(text) {
  if (typeof text !== 'string' || !/^([0-9a-f]{2})*$/i.test(text)) throw new Error('not hex');
  return Uint8Array.from(text.match(/../g) ?? [], (b) => parseInt(b, 16));
}
hex.of = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
hex.random = (n) => hex.of(crypto.getRandomValues(new Uint8Array(n)));

const ID = /^[A-Z2-7]{52}$/;
const HEX32 = /^[0-9a-f]{64}$/i;

// what a linked phone's state must hold; every problem as "path: reason"
export function problems(s) {
  const out = [];
  if (!s || typeof s !== 'object') return ['state: not an object'];
  if (s.v !== VERSION) out.push(`v: must be ${VERSION}`);
  const p = s.phone ?? {};
  if (!ID.test(p.id ?? '')) out.push('phone.id: not a device ID');
  for (const k of ['sign_private', 'kx_private']) if (!HEX32.test(p[k] ?? '')) out.push(`phone.${k}: 32 bytes in hex`);
  const b = s.broker ?? {};
  if (!/^wss?:\/\//.test(b.ws ?? '')) out.push('broker.ws: a ws:// or wss:// address');
  if (typeof b.username !== 'string' || typeof b.password !== 'string') out.push('broker.username/password: text');
  // the console's key (to seal the push subscription for it): kept since the console's "offline" pushes; optional
  if (s.console?.kx_public !== undefined && !HEX32.test(s.console.kx_public)) out.push('console.kx_public: 32 bytes in hex');
  if (!Array.isArray(s.children) || !s.children.length) out.push('children: at least one linked PC');
  (s.children ?? []).forEach((c, i) => {
    if (!ID.test(c?.agent ?? '')) out.push(`children[${i}].agent: not a device ID`);
    if (!HEX32.test(c?.kx_public ?? '')) out.push(`children[${i}].kx_public: 32 bytes in hex`);
    if (typeof c?.name !== 'string') out.push(`children[${i}].name: text`);
  });
  return out;
}

export function loadState() {
  let s;
  try { s = JSON.parse(localStorage.getItem(KEY) ?? 'null'); } catch { return { linked: false, problems: ['state: not JSON'] }; }
  if (s === null) return { linked: false, problems: [] };
  const found = problems(s);
  if (found.length) return { linked: false, problems: found };
  for (const k of ['counters', 'items', 'status', 'presence', 'answered', 'week']) s[k] ??= {};
  return { linked: true, state: s };
}

export function saveState(s) { localStorage.setItem(KEY, JSON.stringify(s)); }

export function lang() {
  const saved = localStorage.getItem('sprout-phone-lang');
  if (saved === 'vi' || saved === 'en') return saved;
  return (navigator.language ?? 'vi').toLowerCase().startsWith('en') ? 'en' : 'vi';
}
export function setLang(l) { localStorage.setItem('sprout-phone-lang', l); }
