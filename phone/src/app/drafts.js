// What the parent typed or picked and has not sent yet, by field. The screen is drawn again whole whenever the
// PC says something (its status every minute, a request, presence) or the language changes: a field made again
// takes its draft back, and the field the parent was typing in keeps the focus and the cursor.
const drafts = new Map();

export function drafted(el, key) {
  el.setAttribute('data-draft', key);
  if (drafts.has(key)) el.value = drafts.get(key);
  const keep = () => drafts.set(key, el.value);
  el.addEventListener('input', keep);
  el.addEventListener('change', keep);
  return el;
}

// sent (or answered): the field shows what the PC says again
export function forget(...keys) {
  for (const k of keys) drafts.delete(k);
}

export function whereTyping() {
  const el = document.activeElement;
  const key = el?.getAttribute?.('data-draft');
  if (!key) return null;
  let sel = null;
  try { sel = [el.selectionStart, el.selectionEnd]; } catch { /* a number box has no text selection */ }
  return { key, sel };
}

export function backTo(root, where) {
  if (!where) return false;
  const el = [...root.querySelectorAll('[data-draft]')].find((e) => e.getAttribute('data-draft') === where.key);
  if (!el) return false;
  el.focus();
  if (where.sel && where.sel[0] !== null) {
    try { el.setSelectionRange(where.sel[0], where.sel[1]); } catch { /* not a text box */ }
  }
  return true;
}
