import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

export interface OpenApiViolation {
  method: string;
  path: string;
  status: number;
  problem: string;
}

const pointerEscape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Checks real responses against the API's own OpenAPI document (`/docs/json`): every response of a
 * documented operation must have a documented status, and a JSON body must match that status's
 * schema. `attach` hooks it into an app (onSend); `violations` lists what failed.
 */
export class OpenApiChecker {
  readonly violations: OpenApiViolation[] = [];
  checked = 0;
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly cache = new Map<string, ValidateFunction | null>();

  constructor(readonly doc: { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>> }) {
    addFormats(this.ajv);
    this.ajv.addFormat('binary', true);
    this.ajv.addSchema(doc as object, 'openapi.json');
  }

  /** Checks one response: `route` is Fastify's route pattern (`/v1/jobs/:id`). */
  check(method: string, route: string, status: number, contentType: string | undefined, body: string): void {
    const path = route.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const op = this.doc.paths[path]?.[method.toLowerCase()];
    if (!op) return; // not part of the API (the docs UI, unknown routes)
    this.checked++;
    const response = op.responses?.[String(status)];
    if (!response) {
      this.violations.push({ method, path, status, problem: `status ${status} is not documented (${body.slice(0, 200)})` });
      return;
    }
    if (!contentType?.startsWith('application/json')) return;
    const key = `${path} ${method} ${status}`;
    let validate = this.cache.get(key);
    if (validate === undefined) {
      const pointer = `openapi.json#/paths/${pointerEscape(path)}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`;
      validate = response.content?.['application/json'] ? this.ajv.compile({ $ref: pointer }) : null;
      this.cache.set(key, validate);
    }
    if (!validate) {
      this.violations.push({ method, path, status, problem: 'a JSON body where the document declares none' });
      return;
    }
    if (!validate(JSON.parse(body))) {
      this.violations.push({ method, path, status, problem: `${this.ajv.errorsText(validate.errors)} in ${body.slice(0, 300)}` });
    }
  }
}

/**
 * Hooks a checker into an app that is not ready yet: call before the first request; the document
 * is read once the app is ready (`await checker.ready()`), and every response after it is checked.
 */
export function checkResponsesAgainstOpenApi(app: FastifyInstance): { ready(): Promise<OpenApiChecker> } {
  let checker: OpenApiChecker | undefined;
  app.addHook('onSend', async (request, reply, payload) => {
    // An empty answer (a 204 sent with `send()`) has no payload: checked as an empty body.
    if (checker && (typeof payload === 'string' || payload === undefined || payload === null) && request.routeOptions.url) {
      checker.check(request.method, request.routeOptions.url, reply.statusCode, String(reply.getHeader('content-type') ?? ''), payload ?? '');
    } else if (checker && request.routeOptions.url && (Buffer.isBuffer(payload) || typeof (payload as { pipe?: unknown } | null)?.pipe === 'function')) {
      // A streamed or binary answer (an event stream, an export, a model file): its status and route are checked, its body is not read.
      const type = String(reply.getHeader('content-type') ?? '');
      if (!type.startsWith('application/json')) checker.check(request.method, request.routeOptions.url, reply.statusCode, type, '');
    }
    return payload;
  });
  return {
    async ready() {
      if (!checker) {
        const res = await app.inject({ method: 'GET', url: '/docs/json' });
        checker = new OpenApiChecker(res.json());
      }
      return checker;
    },
  };
}
