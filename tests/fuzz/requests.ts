import fc from 'fast-check';
import type { OpenApiDoc, Operation, Param } from './doc.js';
import { type Draw, edgeNumber, headerSafe, JUNK_KEYS, junkString, NASTY_STRINGS } from './draw.js';
import { DATASET_FORMATS, datasetFile, QUBO_FORMATS, quboFile } from './files.js';
import type { Fixtures } from './fixtures.js';
import { badUtf8, mutateJson, mutateJsonText } from './mutate.js';
import { type Overrides, sampleSchema } from './schema.js';

/** Who the request claims to be, and who the server should take it for. */
export interface Auth {
  variant: string;
  /** The Authorization header ('' sends none). */
  header: string;
  as: 'admin' | 'read' | 'nobody';
}

export interface FuzzRequest {
  /** The operation aimed at (operationId), or '(unrouted)'. */
  op: string;
  strategy: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  auth: Auth;
  body?: Buffer;
  /** What the generators did, in words. */
  notes: string[];
  /** A cursor (GET /v1/jobs) that names no job. */
  junkCursor?: boolean;
}

export interface Generators {
  ops: Operation[];
  /** Builds one request; `d` makes every choice. */
  request(d: Draw): FuzzRequest;
  /** The operations with a generator of their own (the test checks each still names an operation). */
  specificOperations: string[];
}

/** The JSON body limit of the API (Fastify's bodyLimit, app.ts). */
export const BODY_LIMIT = 1 << 20;

const JSON_CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/json;charset=UTF-8'];
const OTHER_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/json; charset=latin1',
  'text/json',
  'application/vnd.api+json',
  '*/*',
  'garbage',
];
const UPLOAD_CONTENT_TYPES = ['text/plain', 'application/octet-stream', 'text/csv', 'application/json', 'multipart/form-data; boundary=x', 'garbage'];

function authOf(d: Draw, fx: Fixtures): Auth {
  return d.weighted<() => Auth>([
    [24, () => ({ variant: 'admin', header: `Bearer ${fx.adminKey}`, as: 'admin' })],
    [4, () => ({ variant: 'read', header: `Bearer ${fx.readKey}`, as: 'read' })],
    [2, () => ({ variant: 'none', header: '', as: 'nobody' })],
    [
      2,
      () => ({
        variant: 'wrong key',
        header: `Bearer kiln_${d.arb(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 })).replace(/\s/g, 'x')}`,
        as: 'nobody',
      }),
    ],
    [1, () => ({ variant: 'lower-case scheme', header: `bearer ${fx.adminKey}`, as: 'admin' })],
    [1, () => ({ variant: 'padded', header: `Bearer   ${fx.adminKey}  `, as: 'admin' })],
    [
      2,
      () => ({
        variant: 'malformed',
        header: d.pick([
          'Basic YWRtaW46YWRtaW4=',
          'Bearer',
          'Bearer ',
          'Token abc',
          `Bearer ${fx.adminKey} extra`,
          fx.adminKey,
          `Bearer ${fx.readKey},${fx.adminKey}`,
        ]),
        as: 'nobody',
      }),
    ],
    [1, () => ({ variant: 'junk', header: `Bearer ${headerSafe(junkString(d)).replace(/\s/g, '') || 'x'}`, as: 'nobody' })],
    [1, () => ({ variant: 'long key', header: `Bearer ${'k'.repeat(d.pick([1000, 20_000]))}`, as: 'nobody' })],
  ])();
}

/** Percent-encodes like encodeURIComponent, lone surrogates included (as the WTF-8 bytes a sloppy client would send). */
function percentEncode(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    out +=
      c >= 0xd800 && c <= 0xdfff
        ? [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('')
        : encodeURIComponent(ch);
  }
  return out;
}

const encode = (s: string, d: Draw) => (d.chance(0.92) ? percentEncode(s) : s);

function pathValue(d: Draw, fx: Fixtures): string {
  return d.weighted<() => string>([
    [7, () => d.pick(fx.ids)],
    [2, () => d.arb(fc.uuid())],
    [4, () => junkString(d)],
  ])();
}

/** A query value for a declared parameter: valid for its schema, a fixture, or junk. */
function queryValue(doc: OpenApiDoc, p: Param, d: Draw, fx: Fixtures): string {
  return d.weighted<() => string>([
    [1, () => String(sampleSchema(doc, p.schema, d))],
    [2, () => (p.name === 'user' ? d.pick(fx.datasetUsers) : d.pick(fx.ids))],
    [3, () => junkString(d)],
    [2, () => String(edgeNumber(d))],
  ])();
}

function queryString(pairs: Array<[string, string]>, d: Draw): string {
  if (pairs.length === 0) return '';
  return `?${pairs.map(([k, v]) => `${encode(k, d)}=${encode(v, d)}`).join('&')}`;
}

/**
 * The declared query parameters, almost valid: each valid (or absent when optional) but at most one,
 * which is junk or a fixture's id; then sometimes an undeclared or a repeated one.
 */
function genericQuery(
  doc: OpenApiDoc,
  op: Operation,
  d: Draw,
  fx: Fixtures,
  fixed: Record<string, (d: Draw) => string | undefined> = {},
): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const wrong = op.query.length > 0 && d.chance(0.5) ? d.uniform(0, op.query.length - 1) : -1;
  op.query.forEach((p, i) => {
    const f = fixed[p.name];
    if (f) {
      const v = f(d);
      if (v !== undefined) pairs.push([p.name, v]);
    } else if (i === wrong) {
      if (d.chance(0.9)) pairs.push([p.name, queryValue(doc, p, d, fx)]);
    } else if (p.required || d.chance(0.5)) {
      pairs.push([p.name, String(sampleSchema(doc, p.schema, d))]);
    }
  });
  if (d.chance(0.12)) {
    const name = op.query.length > 0 && d.chance(0.5) ? d.pick(op.query).name : d.pick(JUNK_KEYS);
    pairs.push([name, d.chance(0.5) ? junkString(d) : String(edgeNumber(d))]);
  }
  return pairs;
}

function fillPath(op: Operation, d: Draw, fx: Fixtures): string {
  return op.path.replace(/\{([^}]+)\}/g, () => encode(pathValue(d, fx), d));
}

function junkHeaders(d: Draw, body: Buffer | undefined): Record<string, string> {
  if (!d.chance(0.1)) return {};
  const name = d.pick(['accept', 'x-forwarded-for', 'content-encoding', 'expect', 'x-request-id', 'cookie', 'content-length', 'transfer-encoding', 'host']);
  const value =
    name === 'content-length'
      ? String((body?.length ?? 0) + d.pick([-1, 1, 1000]))
      : name === 'content-encoding'
        ? d.pick(['gzip', 'br', 'identity', 'x'])
        : name === 'transfer-encoding'
          ? 'chunked'
          : headerSafe(junkString(d));
  return { [name]: value };
}

/** A JSON body from the operation's schema: mostly valid, then wrong in a few places, then damaged as text. */
function jsonBody(doc: OpenApiDoc, schema: object, d: Draw, overrides: Overrides, notes: string[], shape?: (v: unknown, d: Draw) => unknown): Buffer {
  let value = sampleSchema(doc, schema, d, overrides);
  if (shape) value = shape(value, d);
  if (d.chance(0.55)) {
    const m = mutateJson(value, d, d.int(1, 3));
    value = m.value;
    notes.push(...m.notes);
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? 'null';
  } catch {
    text = '[]';
  }
  const t = mutateJsonText(text, d);
  if (t.note) notes.push(t.note);
  let bytes: Buffer = Buffer.from(t.text, 'utf8');
  if (d.chance(0.02)) {
    const b = badUtf8(bytes, d);
    bytes = b.bytes;
    notes.push(b.note);
  }
  if (d.chance(0.03)) {
    // Just over the body limit: padding the JSON keeps it valid.
    bytes = Buffer.concat([Buffer.from(' '.repeat(BODY_LIMIT + 1 - Math.min(bytes.length, BODY_LIMIT))), bytes]);
    notes.push(`padded to ${bytes.length} bytes (limit ${BODY_LIMIT})`);
  }
  return bytes;
}

/** Content type for a JSON operation: mostly JSON, sometimes something it does not take. */
function jsonContentType(d: Draw): string | undefined {
  return d.weighted<() => string | undefined>([
    [16, () => d.pick(JSON_CONTENT_TYPES)],
    [1, () => undefined],
    [2, () => d.pick(OTHER_CONTENT_TYPES)],
  ])();
}

export function createGenerators(doc: OpenApiDoc, ops: Operation[], fx: Fixtures): Generators {
  const ref = (ids: string[]) => (d: Draw) =>
    d.weighted<() => unknown>([
      [7, () => d.pick(ids)],
      [2, () => d.arb(fc.uuid())],
      [1, () => junkString(d)],
    ])();
  const idemKey = (d: Draw) =>
    d.weighted<() => string>([
      [6, () => d.pick(['k1', 'k2', 'k3'])],
      [1, () => 'i'.repeat(d.pick([200, 201]))],
      [2, () => headerSafe(junkString(d))],
    ])();
  const overrides: Overrides = {
    datasetId: ref([fx.datasetId]),
    modelId: ref([fx.modelId]),
    problemId: ref(fx.problemIds),
    idempotencyKey: idemKey,
    users: (d) =>
      d.weighted<() => unknown>([
        [3, () => 'all'],
        [3, () => Array.from({ length: d.int(1, 4) }, () => (d.chance(0.7) ? d.pick(fx.datasetUsers) : junkString(d)))],
        [1, () => junkString(d)],
      ])(),
  };
  /** qubo.solve takes exactly one of problemId and problem: mostly give exactly one. */
  const shapeSubmit = (v: unknown, d: Draw) => {
    const item = v as { kind?: string; payload?: Record<string, unknown> };
    if (item?.kind === 'qubo.solve' && item.payload && d.chance(0.8)) {
      const inline = d.chance(0.5);
      if (inline) {
        delete item.payload.problemId;
        item.payload.problem ??= { n: d.int(1, 6), terms: [[0, 0, -1]] };
      } else {
        delete item.payload.problem;
        item.payload.problemId ??= d.pick(fx.problemIds);
      }
    }
    return item;
  };

  const base = (op: Operation, d: Draw, strategy: string): FuzzRequest => ({
    op: op.id,
    strategy,
    method: op.method === 'GET' && d.chance(0.04) ? 'HEAD' : op.method,
    url: '',
    headers: {},
    auth: authOf(d, fx),
    notes: [],
  });

  const withBody = (req: FuzzRequest, d: Draw, body: Buffer | undefined, contentType: string | undefined): FuzzRequest => {
    if (body !== undefined) req.body = body;
    if (contentType !== undefined) req.headers['content-type'] = contentType;
    Object.assign(req.headers, junkHeaders(d, body));
    return req;
  };

  /** Works for any operation: from its parameters and body schema alone. */
  function generic(op: Operation, d: Draw): FuzzRequest {
    const req = base(op, d, 'generic');
    req.url = fillPath(op, d, fx) + queryString(genericQuery(doc, op, d, fx), d);
    for (const h of op.headers) if (d.chance(0.5)) req.headers[h.name] = headerSafe(d.chance(0.6) ? String(sampleSchema(doc, h.schema, d)) : junkString(d));
    if (op.body?.schema) return withBody(req, d, jsonBody(doc, op.body.schema, d, overrides, req.notes), jsonContentType(d));
    if (op.body) return withBody(req, d, Buffer.from(junkString(d)), d.pick(op.body.contentTypes));
    // No body declared: usually none, sometimes one anyway.
    if (d.chance(op.method === 'GET' ? 0.03 : 0.15)) {
      req.notes.push('body on an operation without one');
      return withBody(
        req,
        d,
        Buffer.from(d.chance(0.5) ? JSON.stringify({ x: junkString(d) }) : junkString(d)),
        d.chance(0.7) ? 'application/json' : d.pick(OTHER_CONTENT_TYPES),
      );
    }
    return withBody(req, d, undefined, undefined);
  }

  const uploadName = (d: Draw) => (d.chance(0.7) ? d.pick(['fuzz', 'ds-1', 'é名']) : junkString(d));

  /** Route-specific generators: where the generic one cannot reach the interesting paths. */
  const specific: Record<string, (op: Operation, d: Draw) => FuzzRequest> = {
    uploadDataset(op, d) {
      const req = base(op, d, 'dataset upload');
      const format = d.chance(0.92) ? d.pick(DATASET_FORMATS) : junkString(d);
      const file = datasetFile(d.chance(0.9) && (DATASET_FORMATS as readonly string[]).includes(format) ? format : d.pick(DATASET_FORMATS), d);
      req.notes.push(...file.notes);
      req.url =
        op.path +
        queryString(
          genericQuery(doc, op, d, fx, {
            format: (dd) => (dd.chance(0.97) ? format : undefined),
            name: (dd) => (dd.chance(0.97) ? uploadName(dd) : undefined),
            kcore: (dd) =>
              dd.weighted<() => string | undefined>([
                [4, () => undefined],
                [3, () => dd.pick(['0', '1', '2', '5'])],
                [1, () => dd.pick(['1000', '1001', '-1', '1.5', 'x', '', '1e308'])],
              ])(),
          }),
          d,
        );
      if (d.chance(0.03)) {
        req.notes.push('no body at all');
        return withBody(req, d, undefined, d.chance(0.5) ? 'text/plain' : undefined);
      }
      return withBody(req, d, file.body, d.chance(0.9) ? d.pick(UPLOAD_CONTENT_TYPES) : undefined);
    },
    uploadQuboProblems(op, d) {
      const req = base(op, d, 'qubo upload');
      const format = d.chance(0.92) ? d.pick(QUBO_FORMATS) : junkString(d);
      const file = quboFile(d.chance(0.9) && (QUBO_FORMATS as readonly string[]).includes(format) ? format : d.pick(QUBO_FORMATS), d);
      req.notes.push(...file.notes);
      const w = (dd: Draw) =>
        dd.weighted<() => string | undefined>([
          [6, () => undefined],
          [2, () => dd.pick(['0.5', '1', '2', '3', '8', '100'])],
          [1, () => dd.pick(['0', '-1', '1e308', '1e309', 'NaN', 'x', ''])],
        ])();
      req.url =
        op.path +
        queryString(
          genericQuery(doc, op, d, fx, {
            format: (dd) => (dd.chance(0.97) ? format : undefined),
            name: (dd) => (dd.chance(0.97) ? uploadName(dd) : undefined),
            kind: (dd) =>
              dd.weighted<() => string | undefined>([
                [3, () => undefined],
                [4, () => dd.pick(['maxcut', 'mis'])],
                [1, () => junkString(dd)],
              ])(),
            wDiag: w,
            wOff: w,
          }),
          d,
        );
      if (d.chance(0.03)) {
        req.notes.push('no body at all');
        return withBody(req, d, undefined, d.chance(0.5) ? 'text/plain' : undefined);
      }
      return withBody(req, d, file.body, d.chance(0.9) ? d.pick(UPLOAD_CONTENT_TYPES) : undefined);
    },
    submitJob(op, d) {
      const req = base(op, d, 'job submit');
      req.url = op.path + (d.chance(0.05) ? queryString([[d.pick(JUNK_KEYS), junkString(d)]], d) : '');
      if (d.chance(0.4)) req.headers['idempotency-key'] = idemKey(d);
      return withBody(req, d, jsonBody(doc, op.body?.schema ?? {}, d, overrides, req.notes, shapeSubmit), jsonContentType(d));
    },
    submitJobs(op, d) {
      const req = base(op, d, 'batch submit');
      req.url = op.path;
      const items = op.body?.schema ? deepItems(doc, op.body.schema) : {};
      const n = d.weighted<() => number>([
        [12, () => d.int(1, 4)],
        [1, () => d.pick([0, 999, 1000, 1001])],
      ])();
      const one = () => shapeSubmit(sampleSchema(doc, items, d, overrides), d);
      const first = one();
      const jobs = Array.from({ length: n }, (_, k) => (n > 10 ? first : k === 0 ? first : one()));
      if (n > 10) req.notes.push(`${n} items`);
      let value: unknown = { jobs };
      if (d.chance(0.5)) {
        const m = mutateJson(value, d, d.int(1, 2));
        value = m.value;
        req.notes.push(...m.notes);
      }
      const t = mutateJsonText(JSON.stringify(value), d);
      if (t.note) req.notes.push(t.note);
      return withBody(req, d, Buffer.from(t.text), jsonContentType(d));
    },
    listJobs(op, d) {
      const req = generic(op, d);
      req.strategy = 'job list';
      // A cursor that names no job: the known-bug oracle checks it is refused.
      if (d.chance(0.3)) {
        const cursor = d.chance(0.3) ? d.arb(fc.uuid()) : d.pick(['garbage', '..', '%00', 'x'.repeat(100), '-1', ...NASTY_STRINGS.slice(0, 6)]);
        req.url = `${op.path}?cursor=${percentEncode(cursor)}`;
        req.junkCursor = !fx.ids.includes(cursor);
      }
      return req;
    },
  };

  /** Neither a documented path nor a documented method. */
  function unrouted(d: Draw): FuzzRequest {
    const op = d.pick(ops);
    const method = d.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']);
    const path = d.weighted<() => string>([
      [3, () => fillPath(op, d, fx)],
      [2, () => `${fillPath(op, d, fx)}/${encode(junkString(d), d)}`],
      [2, () => d.pick(['/', '/v1', '/v1/', '/v2/jobs', '/v1/jobs/x/y/z', '//', '/v1//jobs', '/%2e%2e/v1/jobs', '/v1/jobs/%', '/v1/jobs/%zz', '/V1/JOBS'])],
    ])();
    return {
      op: '(unrouted)',
      strategy: 'unrouted',
      method,
      url: path,
      headers: {},
      auth: authOf(d, fx),
      notes: [],
    };
  }

  return {
    ops,
    specificOperations: Object.keys(specific),
    request(d) {
      const choice = d.uniform(0, ops.length);
      if (choice === ops.length) return constrain(unrouted(d), undefined);
      const op = ops[choice] as Operation;
      const own = specific[op.id];
      return constrain(own && d.chance(0.75) ? own(op, d) : generic(op, d), op);
    },
  };
}

/** The item schema of an array body (`{ jobs: [item] }`). */
function deepItems(doc: OpenApiDoc, schema: object): object {
  const s = schema as { $ref?: string };
  const resolved = s.$ref ? (doc.components?.schemas?.[s.$ref.split('/').pop() as string] ?? {}) : schema;
  return ((resolved as { properties?: { jobs?: { items?: object } } }).properties?.jobs?.items ?? {}) as object;
}

/** Steps around the open bugs of known-bugs.ts (none open now: each `avoid` goes when its bug is fixed). */
function constrain(req: FuzzRequest, _op: Operation | undefined): FuzzRequest {
  return req;
}
