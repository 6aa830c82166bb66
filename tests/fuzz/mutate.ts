import { type Draw, edgeNumber, JUNK_KEYS, junkString, junkValue, NASTY_STRINGS, withKey } from './draw.js';

type Path = Array<string | number>;

function paths(value: unknown, limit = 400): Path[] {
  const out: Path[] = [];
  const walk = (v: unknown, p: Path) => {
    if (out.length >= limit) return;
    out.push(p);
    if (Array.isArray(v)) {
      for (const [i, x] of v.slice(0, 50).entries()) walk(x, [...p, i]);
    } else if (v && typeof v === 'object') for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], [...p, k]);
  };
  walk(value, []);
  return out;
}

const clone = (v: unknown): unknown => (v === undefined ? undefined : structuredCloneJson(v));
function structuredCloneJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(structuredCloneJson);
  if (v && typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v)) withKey(out, k, structuredCloneJson((v as Record<string, unknown>)[k]));
    return out;
  }
  return v;
}

function get(root: unknown, p: Path): unknown {
  return p.reduce<unknown>((node, k) => (node as Record<string | number, unknown>)[k], root);
}

/** A copy of `root` with the node at `p` replaced (`undefined`: removed). */
function set(root: unknown, p: Path, value: unknown): unknown {
  if (p.length === 0) return value;
  const out = clone(root);
  const parent = get(out, p.slice(0, -1)) as Record<string | number, unknown> | unknown[];
  const key = p[p.length - 1] as string | number;
  if (Array.isArray(parent)) {
    if (value === undefined) parent.splice(key as number, 1);
    else parent[key as number] = value;
  } else if (value === undefined) delete parent[key];
  else withKey(parent, String(key), value);
  return out;
}

/** What one mutation did, for the request's description. */
export interface Mutated {
  value: unknown;
  notes: string[];
}

/**
 * Makes a (mostly valid) JSON value wrong in `count` places: a wrong type, a missing or an extra
 * field (`__proto__` and friends), an edge number, a nasty string, a huge array, deep nesting.
 */
export function mutateJson(value: unknown, d: Draw, count: number): Mutated {
  let v = value;
  const notes: string[] = [];
  for (let k = 0; k < count; k++) {
    const all = paths(v);
    const p = d.pick(all);
    const node = get(v, p);
    const where = p.join('.') || '(root)';
    const op = d.weighted<string>([
      [4, 'junk'],
      [3, 'drop'],
      [3, 'extra'],
      [2, 'flip'],
      [3, 'edge'],
      [1, 'huge'],
      [1, 'nest'],
    ]);
    switch (op) {
      case 'junk':
        v = set(v, p, junkValue(d));
        break;
      case 'drop':
        if (p.length > 0) v = set(v, p, undefined);
        break;
      case 'extra': {
        const objPath = node && typeof node === 'object' && !Array.isArray(node) ? p : p.slice(0, -1);
        const target = get(v, objPath);
        if (target && typeof target === 'object' && !Array.isArray(target)) {
          const copy = clone(target) as object;
          const key = d.pick(JUNK_KEYS);
          v = set(v, objPath, withKey(copy, key, junkValue(d)));
          notes.push(`extra key ${JSON.stringify(key)} at ${objPath.join('.') || '(root)'}`);
          continue;
        }
        break;
      }
      case 'flip':
        v = set(
          v,
          p,
          typeof node === 'number'
            ? String(node)
            : typeof node === 'string'
              ? Number(node) || 1
              : typeof node === 'boolean'
                ? String(node)
                : Array.isArray(node)
                  ? Object.fromEntries(node.map((x, i) => [String(i), x]))
                  : node && typeof node === 'object'
                    ? Object.values(node)
                    : {},
        );
        break;
      case 'edge':
        v = set(v, p, typeof node === 'string' ? d.pick(NASTY_STRINGS) : edgeNumber(d));
        break;
      case 'huge': {
        const item = Array.isArray(node) && node.length > 0 ? node[0] : node === undefined ? 1 : node;
        const size = JSON.stringify(item)?.length ?? 4;
        const n = Math.max(2, Math.min(d.pick([1001, 10_000, 100_000]), Math.floor(900_000 / (size + 1))));
        v = set(
          v,
          p,
          Array.from({ length: n }, () => item),
        );
        notes.push(`huge array of ${n} at ${where}`);
        continue;
      }
      case 'nest': {
        let wrapped: unknown = node ?? junkString(d);
        const depth = d.int(2, 64);
        for (let i = 0; i < depth; i++) wrapped = d.chance(0.5) ? [wrapped] : { a: wrapped };
        v = set(v, p, wrapped);
        break;
      }
    }
    notes.push(`${op} at ${where}`);
  }
  return { value: v, notes };
}

const JSON_NUMBER_LITERALS = [
  '1e999',
  '-1e999',
  '1e308',
  '-1e308',
  '1.8e308',
  '4.9e-324',
  '1e-400',
  '-0',
  '9007199254740993',
  '123456789012345678901234567890',
  '0.1e1',
];
const STRING_ESCAPES = ['\\u0000', '\\ud800', '\\udc00x', '\\uffff', '\\u202e', 'a\\u0000b', '\\ud83d\\ude00'];

/** Text-level damage to serialised JSON: what a value cannot express (1e999, lone surrogate escapes, duplicate keys, 100,000-deep nesting, truncation). */
export function mutateJsonText(text: string, d: Draw): { text: string; note?: string } {
  const op = d.weighted<string>([
    [12, 'none'],
    [2, 'number'],
    [2, 'escape'],
    [1, 'truncate'],
    [1, 'append'],
    [1, 'duplicate-key'],
    [1, 'proto-key'],
    [1, 'deep'],
    [1, 'bom'],
  ]);
  switch (op) {
    case 'number': {
      const matches = [...text.matchAll(/(?<=[:[,])-?\d+(\.\d+)?([eE][+-]?\d+)?/g)];
      if (matches.length === 0) return { text };
      const m = d.pick(matches);
      const lit = d.pick(JSON_NUMBER_LITERALS);
      return { text: text.slice(0, m.index) + lit + text.slice((m.index as number) + m[0].length), note: `number ${m[0]} → ${lit}` };
    }
    case 'escape': {
      const matches = [...text.matchAll(/(?<=:)"[^"\\]*"/g)];
      if (matches.length === 0) return { text };
      const m = d.pick(matches);
      const esc = d.pick(STRING_ESCAPES);
      return { text: `${text.slice(0, m.index)}"${esc}"${text.slice((m.index as number) + m[0].length)}`, note: `string ${m[0]} → "${esc}"` };
    }
    case 'truncate': {
      const at = d.int(0, Math.max(0, text.length - 1));
      return { text: text.slice(0, at), note: `truncated at ${at}` };
    }
    case 'append': {
      const tail = d.pick(['}', ',', ']', ' garbage', '\u0000', '{}', '\n\n']);
      return { text: text + tail, note: `appended ${JSON.stringify(tail)}` };
    }
    case 'duplicate-key': {
      const m = /^\{"([^"\\]*)":/.exec(text);
      if (!m) return { text };
      return { text: `{"${m[1]}":${JSON.stringify(junkValue(d))},${text.slice(1)}`, note: `duplicate key ${m[1]}` };
    }
    case 'proto-key': {
      if (!text.startsWith('{')) return { text };
      const key = d.pick(['__proto__', 'constructor']);
      const inner = key === '__proto__' ? '{"polluted":1,"kind":"ssm.train"}' : '{"prototype":{"polluted":1}}';
      return { text: `{"${key}":${inner}${text === '{}' ? '' : ','}${text.slice(1)}`, note: `raw "${key}" key` };
    }
    case 'deep': {
      const depth = d.pick([100, 1_000, 10_000, 100_000]);
      const arrays = d.chance(0.5);
      const deep = arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}{"__proto__":{}}${'}'.repeat(depth)}`;
      if (text.startsWith('{') && text !== '{}' && d.chance(0.7))
        return { text: `{"deep":${deep},${text.slice(1)}`, note: `${depth}-deep ${arrays ? 'arrays' : 'objects'} inside` };
      return { text: deep, note: `${depth}-deep ${arrays ? 'arrays' : 'objects'}` };
    }
    case 'bom':
      return { text: `\ufeff${text}`, note: 'BOM' };
    default:
      return { text };
  }
}

const BAD_UTF8: readonly number[][] = [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80]];

/** Inserts an invalid UTF-8 sequence at a random byte offset. */
export function badUtf8(bytes: Buffer, d: Draw): { bytes: Buffer; note: string } {
  const seq = Buffer.from(d.pick(BAD_UTF8));
  const at = d.int(0, bytes.length);
  return { bytes: Buffer.concat([bytes.subarray(0, at), seq, bytes.subarray(at)]), note: `invalid UTF-8 ${seq.toString('hex')} at byte ${at}` };
}
