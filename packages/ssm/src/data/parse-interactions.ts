import { compareIdKeys, type IdKey, idKey } from './compare-ids.js';
import { DatasetEmptyError, DatasetParseError } from './errors.js';
import { readLines } from './lines.js';

export type InteractionFormat = 'sasrec' | 'seq' | 'movielens' | 'recbole' | 'csv';

export interface ParseInteractionsOptions {
  format: InteractionFormat;
  /** Keep users and items with at least this many interactions, repeated until stable. Default 5; 0 or 1 = no filter. */
  kcore?: number;
}

export interface DatasetStats {
  users: number;
  items: number;
  /** Interactions kept after the k-core filter. */
  interactions: number;
  /** Interactions read from the file. */
  rawInteractions: number;
  droppedInteractions: number;
  kcore: number;
}

export interface ParsedDataset {
  /** External user ids; index = dense user index (ascending external id, numeric-aware). */
  users: string[];
  /** External item ids; `items[k - 1]` is dense item id `k` (0 is padding). */
  items: string[];
  /** Per user, dense item ids in time order. */
  sequences: Int32Array[];
  stats: DatasetStats;
}

/** Growable column store for the raw interactions. */
class RawInteractions {
  user = new Int32Array(1 << 16);
  item = new Int32Array(1 << 16);
  time = new Float64Array(1 << 16);
  length = 0;
  readonly userIds: string[] = [];
  readonly itemIds: string[] = [];
  private readonly userIndex = new Map<string, number>();
  private readonly itemIndex = new Map<string, number>();

  push(user: string, item: string, time: number): void {
    if (this.length === this.user.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.user = grow(this.user);
      this.item = grow(this.item);
      this.time = grow(this.time);
    }
    this.user[this.length] = intern(user, this.userIndex, this.userIds);
    this.item[this.length] = intern(item, this.itemIndex, this.itemIds);
    this.time[this.length] = time;
    this.length++;
  }
}

function intern(id: string, index: Map<string, number>, ids: string[]): number {
  let i = index.get(id);
  if (i === undefined) {
    i = ids.length;
    index.set(id, i);
    ids.push(id);
  }
  return i;
}

interface RowReader {
  /** Parses one non-blank data line; returns false for a header line that was consumed. */
  read(line: string, lineNo: number, out: RawInteractions): void;
  readonly hasTime: boolean;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseNumber(text: string, lineNo: number, what: string): number {
  if (!NUMBER.test(text)) {
    throw new DatasetParseError(`line ${lineNo}: ${what} "${text}" is not a number`, lineNo);
  }
  return Number(text);
}

function parseTime(text: string, lineNo: number, allowDates: boolean): number {
  if (NUMBER.test(text)) return Number(text);
  if (allowDates && /^\d{4}-\d{2}-\d{2}/.test(text)) {
    const t = Date.parse(text);
    if (Number.isFinite(t)) return t / 1000;
  }
  throw new DatasetParseError(`line ${lineNo}: timestamp "${text}" is not a number${allowDates ? ' or an ISO date' : ''}`, lineNo);
}

function requireId(text: string | undefined, lineNo: number, what: string): string {
  if (text === undefined || text.length === 0) {
    throw new DatasetParseError(`line ${lineNo}: empty ${what} id`, lineNo);
  }
  // Ids are stored as text, which cannot hold a NUL byte.
  if (text.includes('\0')) throw new DatasetParseError(`line ${lineNo}: the ${what} id contains a NUL byte`, lineNo);
  return text;
}

function sasrecReader(): RowReader {
  return {
    hasTime: false,
    read(line, lineNo, out) {
      const fields = line.trim().split(/[ \t]+/);
      if (fields.length !== 2) {
        throw new DatasetParseError(`line ${lineNo}: expected 2 fields "user item", found ${fields.length}`, lineNo);
      }
      out.push(requireId(fields[0], lineNo, 'user'), requireId(fields[1], lineNo, 'item'), out.length);
    },
  };
}

/**
 * One user per line, `user i1 i2 ... in`, items oldest first (S3Rec's Amazon files, and the
 * `.seq.txt` form of ML-1M): the file order is the time order, as in the SASRec format.
 */
function seqReader(): RowReader {
  return {
    hasTime: false,
    read(line, lineNo, out) {
      const fields = line.trim().split(/[ \t]+/);
      if (fields.length < 2) {
        throw new DatasetParseError(`line ${lineNo}: expected "user item item ...", found ${fields.length} field`, lineNo);
      }
      const user = requireId(fields[0], lineNo, 'user');
      for (let i = 1; i < fields.length; i++) out.push(user, requireId(fields[i], lineNo, 'item'), out.length);
    },
  };
}

function movielensReader(): RowReader {
  return {
    hasTime: true,
    read(line, lineNo, out) {
      const fields = line.trim().split('::');
      if (fields.length !== 4) {
        throw new DatasetParseError(`line ${lineNo}: expected 4 fields "user::item::rating::timestamp", found ${fields.length}`, lineNo);
      }
      const user = requireId(fields[0], lineNo, 'user');
      const item = requireId(fields[1], lineNo, 'item');
      parseNumber(fields[2] ?? '', lineNo, 'rating');
      out.push(user, item, parseTime(fields[3] ?? '', lineNo, false));
    },
  };
}

/** Reader for formats with a header line (RecBole `.inter`, CSV/TSV). */
function headerReader(format: 'recbole' | 'csv'): RowReader {
  let columns: { user: number; item: number; time: number; count: number; sep: string } | undefined;
  const reader: RowReader & { hasTime: boolean } = {
    hasTime: false,
    read(line, lineNo, out) {
      if (columns === undefined) {
        columns = parseHeader(line, lineNo, format);
        reader.hasTime = columns.time >= 0;
        return;
      }
      const trimmed = columns.sep === '\t' ? line.replace(/[ \r]+$/, '') : line.trimEnd();
      const fields = trimmed.split(columns.sep).map((f) => unquote(f.trim()));
      if (fields.length !== columns.count) {
        throw new DatasetParseError(`line ${lineNo}: expected ${columns.count} fields, found ${fields.length}`, lineNo);
      }
      const user = requireId(fields[columns.user], lineNo, 'user');
      const item = requireId(fields[columns.item], lineNo, 'item');
      const time = columns.time >= 0 ? parseTime(fields[columns.time] ?? '', lineNo, format === 'csv') : out.length;
      out.push(user, item, time);
    },
  };
  return reader;
}

function unquote(field: string): string {
  return field.length >= 2 && field.startsWith('"') && field.endsWith('"') ? field.slice(1, -1) : field;
}

const CSV_NAMES = {
  user: ['user', 'user_id', 'userid'],
  item: ['item', 'item_id', 'itemid'],
  time: ['timestamp', 'time', 'ts'],
};

function parseHeader(line: string, lineNo: number, format: 'recbole' | 'csv'): { user: number; item: number; time: number; count: number; sep: string } {
  const sep = format === 'recbole' || line.includes('\t') ? '\t' : ',';
  const names = line
    .trim()
    .split(sep)
    .map((f) => unquote(f.trim()));
  let user = -1;
  let item = -1;
  let time = -1;
  names.forEach((raw, i) => {
    if (format === 'recbole') {
      const name = raw.split(':')[0] ?? '';
      if (name === 'user_id') user = i;
      else if (name === 'item_id') item = i;
      else if (name === 'timestamp') time = i;
    } else {
      const name = raw.toLowerCase();
      if (CSV_NAMES.user.includes(name) && user < 0) user = i;
      else if (CSV_NAMES.item.includes(name) && item < 0) item = i;
      else if (CSV_NAMES.time.includes(name) && time < 0) time = i;
    }
  });
  if (user < 0 || item < 0) {
    const expected = format === 'recbole' ? 'user_id:token and item_id:token' : 'user and item';
    throw new DatasetParseError(`line ${lineNo}: header must name ${expected} columns, found "${line.trim()}"`, lineNo);
  }
  return { user, item, time, count: names.length, sep };
}

function makeReader(format: InteractionFormat): RowReader {
  switch (format) {
    case 'sasrec':
      return sasrecReader();
    case 'seq':
      return seqReader();
    case 'movielens':
      return movielensReader();
    case 'recbole':
    case 'csv':
      return headerReader(format);
    default: {
      const unknown: never = format;
      throw new DatasetParseError(`unknown interaction format "${String(unknown)}"`, 0);
    }
  }
}

/**
 * Streams an interaction file into per-user item sequences.
 *
 * Order: each user's interactions are sorted by timestamp ascending, ties broken by the item's
 * external id ascending (numeric when both ids are integers, else string order). Without a
 * timestamp column (`sasrec`, or `recbole`/`csv` files without one) the file order is the time order.
 * Then the k-core filter runs until stable, users are numbered 0.. in ascending external id, and
 * items 1.. in order of first appearance walking users in that order (0 is padding).
 */
export async function parseInteractions(source: AsyncIterable<string | Uint8Array>, options: ParseInteractionsOptions): Promise<ParsedDataset> {
  const kcore = options.kcore ?? 5;
  if (!Number.isInteger(kcore) || kcore < 0) {
    throw new RangeError(`kcore must be a non-negative integer, got ${kcore}`);
  }
  const reader = makeReader(options.format);
  const raw = new RawInteractions();
  let lineNo = 0;
  for await (const line of readLines(source)) {
    lineNo++;
    if (line.trim().length === 0) continue;
    reader.read(line, lineNo, raw);
  }
  if (raw.length === 0) {
    throw new DatasetParseError(lineNo === 0 ? 'the file is empty' : 'the file contains no interactions', lineNo === 0 ? 0 : lineNo);
  }
  return buildDataset(raw, reader.hasTime, kcore);
}

function buildDataset(raw: RawInteractions, hasTime: boolean, kcore: number): ParsedDataset {
  const n = raw.length;
  const nUsersRaw = raw.userIds.length;
  const nItemsRaw = raw.itemIds.length;
  const itemKeys: IdKey[] = raw.itemIds.map(idKey);

  // Group interaction indices by user (counting sort keeps file order within a user).
  const userStart = new Int32Array(nUsersRaw + 1);
  for (let i = 0; i < n; i++) {
    const slot = (raw.user[i] as number) + 1;
    userStart[slot] = (userStart[slot] as number) + 1;
  }
  for (let u = 0; u < nUsersRaw; u++) userStart[u + 1] = (userStart[u + 1] as number) + (userStart[u] as number);
  const byUser = new Int32Array(n);
  const fill = userStart.slice(0, nUsersRaw);
  for (let i = 0; i < n; i++) {
    const u = raw.user[i] as number;
    byUser[fill[u] as number] = i;
    fill[u] = (fill[u] as number) + 1;
  }
  if (hasTime) {
    for (let u = 0; u < nUsersRaw; u++) {
      const s = userStart[u] as number;
      const e = userStart[u + 1] as number;
      const part = Array.from(byUser.subarray(s, e));
      part.sort((a, b) => {
        const dt = (raw.time[a] as number) - (raw.time[b] as number);
        if (dt !== 0) return dt;
        return compareIdKeys(itemKeys[raw.item[a] as number] as IdKey, itemKeys[raw.item[b] as number] as IdKey);
      });
      byUser.set(part, s);
    }
  }

  // k-core: drop users and items with fewer than kcore interactions until stable.
  const alive = new Uint8Array(n).fill(1);
  if (kcore > 1) {
    const userCount = new Int32Array(nUsersRaw);
    const itemCount = new Int32Array(nItemsRaw);
    for (;;) {
      userCount.fill(0);
      itemCount.fill(0);
      for (let i = 0; i < n; i++) {
        if (alive[i]) {
          const u = raw.user[i] as number;
          const it = raw.item[i] as number;
          userCount[u] = (userCount[u] as number) + 1;
          itemCount[it] = (itemCount[it] as number) + 1;
        }
      }
      let removed = 0;
      for (let i = 0; i < n; i++) {
        if (alive[i] && ((userCount[raw.user[i] as number] as number) < kcore || (itemCount[raw.item[i] as number] as number) < kcore)) {
          alive[i] = 0;
          removed++;
        }
      }
      if (removed === 0) break;
    }
  }

  const survivingUsers: number[] = [];
  for (let u = 0; u < nUsersRaw; u++) {
    for (let j = userStart[u] as number; j < (userStart[u + 1] as number); j++) {
      if (alive[byUser[j] as number]) {
        survivingUsers.push(u);
        break;
      }
    }
  }
  if (survivingUsers.length === 0) {
    throw new DatasetEmptyError(`no interactions survive the ${kcore}-core filter (${n} interactions, ${nUsersRaw} users, ${nItemsRaw} items read)`);
  }
  const userKeys = raw.userIds.map(idKey);
  survivingUsers.sort((a, b) => compareIdKeys(userKeys[a] as IdKey, userKeys[b] as IdKey));

  const denseItem = new Int32Array(nItemsRaw); // 0 = not assigned yet
  const items: string[] = [];
  const users: string[] = [];
  const sequences: Int32Array[] = [];
  let kept = 0;
  for (const u of survivingUsers) {
    const seq: number[] = [];
    for (let j = userStart[u] as number; j < (userStart[u + 1] as number); j++) {
      const i = byUser[j] as number;
      if (!alive[i]) continue;
      const rawItem = raw.item[i] as number;
      let d = denseItem[rawItem] as number;
      if (d === 0) {
        items.push(raw.itemIds[rawItem] as string);
        d = items.length;
        denseItem[rawItem] = d;
      }
      seq.push(d);
    }
    users.push(raw.userIds[u] as string);
    sequences.push(Int32Array.from(seq));
    kept += seq.length;
  }
  return {
    users,
    items,
    sequences,
    stats: {
      users: users.length,
      items: items.length,
      interactions: kept,
      rawInteractions: n,
      droppedInteractions: n - kept,
      kcore,
    },
  };
}
