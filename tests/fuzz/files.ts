import { badUtf8, mutateJson, mutateJsonText } from './mutate.js';
import { type Draw, NASTY_STRINGS } from './draw.js';

/** An upload body and what was done to it. */
export interface FileBody {
  body: Buffer;
  notes: string[];
}

/** Field values that numeric parsers get wrong: ±1e308 and beyond, huge or negative ids, non-ASCII digits, NUL. */
const NUMERIC_JUNK: readonly string[] = [
  '1e308',
  '-1e308',
  '1e309',
  '-1e400',
  '1.7976931348623157e308',
  '4.9e-324',
  '1e12',
  '1.0000001e12',
  '1e13',
  '-1e15',
  '1e16',
  'NaN',
  'nan',
  'inf',
  '-Infinity',
  '0x10',
  '1_000',
  '99999999999999999999',
  '-1',
  '0',
  '1.5',
  '',
  '+',
  '-',
  '.',
  '1e',
  '٣',
  '１',
  '\u0000',
  '2147483648',
  '-2147483649',
  '9007199254740993',
];

type Rows = string[][];

function junkField(d: Draw): string {
  return d.chance(0.6) ? d.pick(NUMERIC_JUNK) : d.pick(NASTY_STRINGS);
}

/** Damages rows in place (a field, a line, a split, an extra or a missing field); returns what it did. */
function damageRows(rows: Rows, d: Draw, firstData: number, indexJunk: (d: Draw) => string): string[] {
  const notes: string[] = [];
  const count = d.weighted<number>([
    [3, 0],
    [5, 1],
    [2, 2],
    [1, 3],
  ]);
  for (let k = 0; k < count && rows.length > 0; k++) {
    const r = d.int(d.chance(0.85) ? Math.min(firstData, rows.length - 1) : 0, rows.length - 1);
    const row = rows[r] as string[];
    const op = d.weighted<string>([
      [6, 'field'],
      [2, 'index'],
      [2, 'drop-field'],
      [2, 'extra-field'],
      [2, 'drop-line'],
      [2, 'dup-line'],
      [1, 'blank'],
      [1, 'long'],
      [2, 'rename'],
    ]);
    const f = d.int(0, Math.max(0, row.length - 1));
    switch (op) {
      case 'field':
        row[f] = junkField(d);
        break;
      case 'index':
        row[Math.min(f, 1)] = indexJunk(d);
        break;
      case 'drop-field':
        row.splice(f, 1);
        break;
      case 'extra-field':
        row.push(junkField(d));
        break;
      case 'drop-line':
        rows.splice(r, 1);
        break;
      case 'dup-line':
        rows.splice(r, 0, [...row]);
        break;
      case 'blank':
        rows.splice(r, 0, []);
        break;
      case 'long':
        row[f] = 'x'.repeat(d.pick([1000, 100_000]));
        break;
      case 'rename': {
        // The same value everywhere it occurs (a user, an item, a vertex), so filters keep it.
        const from = row[f];
        const to = junkField(d);
        for (const other of rows.slice(firstData)) for (let k = 0; k < other.length; k++) if (other[k] === from && k === f) other[k] = to;
        break;
      }
    }
    notes.push(
      `${op} at row ${r}${op === 'field' || op === 'index' || op === 'rename' ? ` = ${JSON.stringify(row[f] ?? row[Math.min(f, 1)])?.slice(0, 40)}` : ''}`,
    );
  }
  return notes;
}

/** Joins rows into a file and damages it at the byte level: line ends, BOM, NUL, invalid UTF-8, truncation, emptiness. */
function render(rows: Rows, sep: string, d: Draw, notes: string[]): Buffer {
  const eol = d.weighted<string>([
    [6, '\n'],
    [2, '\r\n'],
    [1, '\r'],
  ]);
  if (eol !== '\n') notes.push(`eol ${JSON.stringify(eol)}`);
  let text = rows.map((r) => r.join(sep)).join(eol) + (d.chance(0.7) ? eol : '');
  const op = d.weighted<string>([
    [14, 'none'],
    [1, 'empty'],
    [1, 'blank'],
    [1, 'bom'],
    [1, 'nul'],
    [2, 'utf8'],
    [1, 'truncate'],
    [1, 'split'],
  ]);
  switch (op) {
    case 'empty':
      text = '';
      break;
    case 'blank':
      text = d.pick([' ', '\n', '\r\n\r\n', '\t \n', '#\n']);
      break;
    case 'bom':
      text = `\ufeff${text}`;
      break;
    case 'nul': {
      const at = d.int(0, text.length);
      text = `${text.slice(0, at)}\u0000${text.slice(at)}`;
      break;
    }
    case 'truncate':
      text = text.slice(0, d.int(0, Math.max(0, text.length - 1)));
      break;
    case 'split': {
      const at = d.int(0, text.length);
      text = `${text.slice(0, at)}\n${text.slice(at)}`;
      break;
    }
  }
  if (op !== 'none') notes.push(`file ${op}`);
  let bytes: Buffer = Buffer.from(text, 'utf8');
  if (op === 'utf8') {
    const b = badUtf8(bytes, d);
    bytes = b.bytes;
    notes.push(b.note);
  }
  return bytes;
}

export const DATASET_FORMATS = ['sasrec', 'movielens', 'recbole', 'csv'] as const;
export const QUBO_FORMATS = ['json', 'gset', 'bqp', 'sparse'] as const;

/** An interaction log in `format`: a dense grid that survives the 5-core filter, or a few random lines; then damaged. */
export function datasetFile(format: string, d: Draw): FileBody {
  const notes: string[] = [];
  const named = d.chance(0.3);
  const id = (prefix: string, k: number) => (named ? `${prefix}${k}` : String(k + 1));
  const pairs: Array<[string, string]> = [];
  if (d.chance(0.6)) {
    const users = d.int(5, 9);
    const items = d.int(5, 8);
    for (let u = 0; u < users; u++) for (let i = 0; i < items; i++) pairs.push([id('u', u), id('i', (i * 7 + u) % items)]);
    notes.push(`grid ${users}x${items}`);
  } else {
    const n = d.int(0, 12);
    for (let k = 0; k < n; k++) pairs.push([id('u', d.int(0, 3)), id('i', d.int(0, 5))]);
    notes.push(`${n} random lines`);
  }
  if (d.chance(0.03)) {
    const copies = d.pick([1_000, 20_000]);
    const base = pairs.length > 0 ? pairs : [['1', '1'] as [string, string]];
    for (let k = 0; k < copies; k++) pairs.push(base[k % base.length] as [string, string]);
    notes.push(`${copies} more lines`);
  }
  const t0 = 978_300_000;
  let rows: Rows;
  let sep: string;
  let header: string[] | undefined;
  switch (format) {
    case 'movielens':
      rows = pairs.map(([u, i], k) => [u, i, String(d.chance(0.9) ? 1 + (k % 5) : 3.5), String(t0 + k)]);
      sep = '::';
      break;
    case 'recbole':
      header = d.pick([
        ['user_id:token', 'item_id:token', 'rating:float', 'timestamp:float'],
        ['user_id:token', 'item_id:token'],
        ['item_id:token', 'user_id:token', 'timestamp:float'],
      ]);
      rows = pairs.map(([u, i], k) =>
        header!.map((h) => (h.startsWith('user') ? u : h.startsWith('item') ? i : h.startsWith('rating') ? '4' : String(t0 + k))),
      );
      sep = '\t';
      break;
    case 'csv':
      header = d.pick([
        ['user', 'item', 'timestamp'],
        ['"user_id"', '"item_id"', '"time"'],
        ['item', 'user'],
        ['userid', 'itemid', 'ts', 'extra'],
      ]);
      rows = pairs.map(([u, i], k) =>
        header!.map((h) =>
          /user/.test(h) ? u : /item/.test(h) ? i : /time|ts/.test(h) ? (d.chance(0.8) ? String(t0 + k) : new Date((t0 + k) * 1000).toISOString()) : 'x',
        ),
      );
      sep = ',';
      break;
    default:
      rows = pairs.map(([u, i]) => [u, i]);
      sep = d.chance(0.9) ? ' ' : '\t';
  }
  if (header) rows.unshift(header);
  notes.push(...damageRows(rows, d, header ? 1 : 0, (dd) => dd.pick(['0', '-1', '99999999999999999999', '', '\u0000'])));
  return { body: render(rows, sep, d, notes), notes };
}

/** A QUBO or graph file in `format`; then damaged (edge weights ±1e308, indices 0, n+1, −1, huge counts, …). */
export function quboFile(format: string, d: Draw): FileBody {
  const notes: string[] = [];
  const weight = () =>
    d.weighted<() => string>([
      [6, () => String(d.int(-10, 10))],
      [2, () => String(d.double(-100, 100))],
      [1, () => d.pick(['1e308', '-1e308', '1e12', '-1e12', '1e11', '1e-300', '0'])],
    ])();
  if (format === 'json') {
    const n = d.int(1, 10);
    const terms = Array.from({ length: d.int(0, 12) }, () => {
      const [i, j, w] = [d.int(0, n - 1), d.int(0, n - 1), Number(weight())];
      return d.chance(0.7) ? [i, j, w] : { i, j, w };
    });
    let value: unknown = { n, terms, ...(d.chance(0.3) ? { offset: Number(weight()) } : {}) };
    if (d.chance(0.5)) {
      const m = mutateJson(value, d, d.int(1, 2));
      value = m.value;
      notes.push(...m.notes);
    }
    let text: string;
    try {
      text = JSON.stringify(value);
    } catch {
      text = '{}';
    }
    const t = mutateJsonText(text, d);
    if (t.note) notes.push(t.note);
    let bytes: Buffer = Buffer.from(t.text, 'utf8');
    if (d.chance(0.05)) {
      const b = badUtf8(bytes, d);
      bytes = b.bytes;
      notes.push(b.note);
    }
    return { body: bytes, notes };
  }
  const rows: Rows = [];
  const problems =
    format === 'bqp'
      ? d.weighted<number>([
          [8, 1],
          [3, 3],
          [1, d.pick([200, 2000])],
        ])
      : 1;
  if (format === 'bqp') rows.push([String(problems)]);
  let maxN = 1;
  for (let p = 0; p < problems; p++) {
    const n = d.weighted<number>([
      [20, d.int(1, 12)],
      [1, d.pick([100_000, 100_001, 2 ** 31])],
    ]);
    maxN = Math.max(maxN, n);
    const small = Math.min(n, 12);
    const entries = Array.from({ length: problems > 3 ? d.int(0, 2) : d.int(0, 14) }, () => {
      const i = d.int(1, small);
      const j = format === 'gset' ? d.int(1, small) : d.int(i, small);
      return [String(i), String(j), weight()];
    });
    rows.push([String(n), String(entries.length + (d.chance(0.05) ? d.pick([-1, 1, 1e9]) : 0))], ...entries);
    if (format === 'gset' && d.chance(0.1)) rows.splice(1, 0, ['#', 'a', 'comment']);
  }
  if (problems > 3) notes.push(`${problems} problems`);
  notes.push(...damageRows(rows, d, format === 'bqp' ? 2 : 1, (dd) => dd.pick(['0', '-1', String(maxN + 1), '99999999999999999999', '1.5', '2147483648'])));
  return { body: render(rows, ' ', d, notes), notes };
}
