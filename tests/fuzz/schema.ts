import fc from 'fast-check';
import { deref, type JsonSchema, type OpenApiDoc } from './doc.js';
import { type Draw, junkString } from './draw.js';

/** Values for named properties wherever they occur (references to fixtures: `datasetId`, `problemId`, …). */
export type Overrides = Record<string, (d: Draw) => unknown>;

/**
 * A value that satisfies `schema` (an OpenAPI 3.1 / JSON Schema subset: $ref, const, enum, anyOf,
 * oneOf, object, array with prefixItems, string with format, integer, number, boolean), mostly:
 * optional properties come and go, sizes stay small, bounds are hit often. Mutations (mutate.ts)
 * then make it wrong in one place.
 */
export function sampleSchema(doc: OpenApiDoc, schema: JsonSchema, d: Draw, overrides: Overrides = {}, depth = 0): unknown {
  const s = deref(doc, schema);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return d.pick(s.enum);
  const branches = (s.oneOf ?? s.anyOf) as JsonSchema[] | undefined;
  if (branches && branches.length > 0) return sampleSchema(doc, d.pick(branches), d, overrides, depth + 1);
  const type = Array.isArray(s.type) ? d.pick(s.type as string[]) : (s.type as string | undefined);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const required = new Set<string>((s.required as string[] | undefined) ?? []);
      for (const [name, sub] of Object.entries((s.properties ?? {}) as Record<string, JsonSchema>)) {
        if (!required.has(name) && (depth > 6 || !d.chance(0.5))) continue;
        const o = overrides[name];
        out[name] = o ? o(d) : sampleSchema(doc, sub, d, overrides, depth + 1);
      }
      return out;
    }
    case 'array': {
      if (Array.isArray(s.prefixItems)) return (s.prefixItems as JsonSchema[]).map((sub) => sampleSchema(doc, sub, d, overrides, depth + 1));
      const min = (s.minItems as number | undefined) ?? 0;
      const max = Math.min((s.maxItems as number | undefined) ?? Number.MAX_SAFE_INTEGER, min + (depth > 4 ? 1 : 4));
      const n = d.int(min, max);
      return Array.from({ length: n }, () => (s.items ? sampleSchema(doc, s.items as JsonSchema, d, overrides, depth + 1) : null));
    }
    case 'string': {
      if (s.format === 'uuid') return d.arb(fc.uuid());
      if (s.format === 'date-time') return new Date(d.int(0, 4e12)).toISOString();
      const min = (s.minLength as number | undefined) ?? 0;
      const max = (s.maxLength as number | undefined) ?? min + 24;
      return d.weighted<() => string>([
        [6, () => d.arb(fc.string({ minLength: min, maxLength: Math.min(max, min + 24) }))],
        [1, () => 'x'.repeat(max)],
        [1, () => 'é'.repeat(Math.max(min, 1))],
      ])();
    }
    case 'integer': {
      const min = (s.minimum as number | undefined) ?? (s.exclusiveMinimum !== undefined ? (s.exclusiveMinimum as number) + 1 : -1_000_000);
      const max = (s.maximum as number | undefined) ?? (s.exclusiveMaximum !== undefined ? (s.exclusiveMaximum as number) - 1 : 1_000_000);
      const lo = Math.max(min, Number.MIN_SAFE_INTEGER);
      const hi = Math.min(max, Number.MAX_SAFE_INTEGER);
      return d.weighted<() => number>([
        [4, () => d.int(Math.max(lo, -1000), Math.min(hi, Math.max(lo, -1000) + 1000))],
        [1, () => lo],
        [1, () => hi],
        [1, () => d.arb(fc.integer({ min: Math.max(lo, -(2 ** 31)), max: Math.min(hi, 2 ** 31 - 1) }))],
      ])();
    }
    case 'number': {
      const excl = s.exclusiveMinimum as number | undefined;
      const min = (s.minimum as number | undefined) ?? (excl !== undefined ? excl + 1e-6 : -1e6);
      const max = (s.maximum as number | undefined) ?? min + 2e6;
      return d.chance(0.2) ? min : d.double(min, max);
    }
    case 'boolean':
      return d.chance(0.5);
    case 'null':
      return null;
    default:
      return d.chance(0.5) ? junkString(d) : d.int(-5, 5);
  }
}
