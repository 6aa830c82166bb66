import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The parts of an OpenAPI 3.1 document the fuzzer reads. */
export type JsonSchema = { [key: string]: any };
export interface OpenApiDoc {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
  security?: Array<Record<string, string[]>>;
}
interface RawOperation {
  operationId?: string;
  parameters?: Array<{ in: string; name: string; required?: boolean; schema?: JsonSchema }>;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, unknown>;
  security?: Array<Record<string, string[]>>;
}

export interface Param {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

/** One operation of the document, as the fuzzer needs it. */
export interface Operation {
  id: string;
  method: string;
  /** The OpenAPI path (`/v1/jobs/{id}`). */
  path: string;
  pathParams: Param[];
  query: Param[];
  headers: Param[];
  body?: { required: boolean; contentTypes: string[]; schema?: JsonSchema };
  /** The documented response statuses. */
  statuses: Set<number>;
  /** Needs an API key (the operation's or the document's `security` is not empty). */
  secured: boolean;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'];

/** Every operation of an OpenAPI document: a route added to the API is fuzzed without touching the fuzzer. */
export function operationsOf(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const params = (where: string) =>
        (raw.parameters ?? []).filter((p) => p.in === where).map((p) => ({ name: p.name, required: p.required === true, schema: p.schema ?? {} }));
      const content = raw.requestBody?.content;
      const security = raw.security ?? doc.security ?? [];
      ops.push({
        id: raw.operationId ?? `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        pathParams: params('path'),
        query: params('query'),
        headers: params('header'),
        ...(content
          ? {
              body: {
                required: raw.requestBody?.required === true,
                contentTypes: Object.keys(content),
                ...(content['application/json']?.schema ? { schema: content['application/json'].schema } : {}),
              },
            }
          : {}),
        statuses: new Set(Object.keys(raw.responses ?? {}).map(Number)),
        secured: security.length > 0 && security.every((req) => Object.keys(req).length > 0),
      });
    }
  }
  return ops;
}

/** Follows local `$ref`s (`#/components/schemas/X`). */
export function deref(doc: OpenApiDoc, schema: JsonSchema): JsonSchema {
  let s = schema;
  for (let hops = 0; typeof s?.$ref === 'string' && hops < 20; hops++) {
    const parts = (s.$ref as string).replace(/^#\//, '').split('/');
    s = parts.reduce<any>((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return s ?? {};
}

/** The route pattern Fastify uses for an OpenAPI path (`/v1/jobs/{id}` → `/v1/jobs/:id`). */
export const routeOf = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1');

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The committed document, docs/openapi.json. */
export function committedDoc(): OpenApiDoc {
  return JSON.parse(readFileSync(`${root}docs/openapi.json`, 'utf8')) as OpenApiDoc;
}

/** The error codes of docs/errors.md with their HTTP status. */
export function documentedErrorCodes(): Map<string, number> {
  const md = readFileSync(`${root}docs/errors.md`, 'utf8');
  const codes = new Map<string, number>();
  for (const m of md.matchAll(/^\|\s*`(KILN_ERR_[A-Z_]+)`\s*\|\s*(\d{3})\s*\|/gm)) codes.set(m[1] as string, Number(m[2]));
  return codes;
}
