// Tiny DOM helpers. Every piece of data reaches the page as a text node or an attribute value set
// through the DOM API; nothing is ever parsed as HTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Appends children: nodes as they are, strings and numbers as text; null/undefined/false skipped. */
export function append(parent, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
  return parent;
}

function setProps(el, props) {
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') {
      el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'href' && !/^[#/]/.test(String(value))) {
      // Links are only ever built to our own routes; refuse anything else (javascript:, data:).
      throw new Error(`refusing link target ${String(value)}`);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

/** `h('a', { href: '#/jobs', 'data-testid': 'x' }, 'text', childNode)` */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  return append(el, children);
}

/** Same as `h` for SVG elements. */
export function s(tag, props, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setProps(el, props);
  return append(el, children);
}

/** Replaces all children of `el`. */
export function setChildren(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** Sets text only when it changed, so polling does not disturb selection or focus. */
export function setText(el, text) {
  const value = String(text);
  if (el.textContent !== value) el.textContent = value;
}

/**
 * Keeps `container`'s children in step with a list of items, keyed by `key(item)`: existing rows are
 * updated in place (no flicker, buttons keep focus), new ones created, missing ones removed.
 * `create(item)` returns `{ el, update(item) }`.
 */
export function keyedList(container, key, create) {
  const rows = new Map();
  return (items) => {
    const seen = new Set();
    let index = 0;
    for (const item of items) {
      const k = key(item);
      seen.add(k);
      let row = rows.get(k);
      if (row === undefined) {
        row = create(item);
        rows.set(k, row);
      }
      row.update(item);
      const at = container.children[index] ?? null;
      if (at !== row.el) container.insertBefore(row.el, at);
      index += 1;
    }
    for (const [k, row] of rows) {
      if (!seen.has(k)) {
        row.el.remove();
        rows.delete(k);
      }
    }
  };
}

/** A pretty-printed JSON block. */
export function jsonBlock(value, testid) {
  return h('pre', { class: 'json', 'data-testid': testid }, JSON.stringify(value, null, 2));
}

/**
 * A definition list from `[label, value]` pairs (values may be nodes); falsy pairs are skipped.
 * `layout: 'grid'` lays the pairs out as a grid of small label-over-value tiles.
 */
export function keyValues(pairs, testid, { layout = 'list' } = {}) {
  return h(
    'dl',
    { class: layout === 'grid' ? 'facts' : 'kv', 'data-testid': testid },
    pairs.filter(Boolean).map(([label, value]) => h('div', null, h('dt', null, label), h('dd', null, value))),
  );
}
