import { describe, expect, it } from 'vitest';
import { toCsr } from './csr.js';
import { energy } from './energy.js';
import { QuboValidationError } from './errors.js';
import type { QuboInput } from './types.js';
import { validateAndBuild } from './validate.js';

function codeOf(fn: () => unknown): { code: string; message: string; details: unknown } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(QuboValidationError);
    const err = e as QuboValidationError;
    expect(err.name).toBe('QuboValidationError');
    return { code: err.code, message: err.message, details: err.details };
  }
  throw new Error('expected a throw');
}

describe('validateAndBuild', () => {
  it('accepts both term forms and keeps the offset', () => {
    const p = validateAndBuild({ n: 3, terms: [[0, 1, -2], { i: 2, j: 2, w: 1.5 }], offset: 4 });
    expect(p.n).toBe(3);
    expect(p.kind).toBe('qubo');
    expect(p.sense).toBe('min');
    expect(Array.from(p.terms.i)).toEqual([0, 2]);
    expect(energy(p, Uint8Array.from([1, 1, 1]))).toBe(4 - 2 + 1.5);
  });

  it('merges duplicate terms, including (i,j) vs (j,i)', () => {
    const p = validateAndBuild({
      n: 2,
      terms: [
        [0, 1, 1],
        [1, 0, 2],
        [0, 1, 3],
        [1, 1, -1],
        [1, 1, -2],
      ],
    });
    const csr = toCsr(p);
    expect(Array.from(csr.rowPtr)).toEqual([0, 1, 2]);
    expect(Array.from(csr.col)).toEqual([1, 0]);
    expect(Array.from(csr.val)).toEqual([6, 6]);
    expect(Array.from(csr.h)).toEqual([0, -3]);
    const x = Uint8Array.from([1, 1]);
    expect(energy(p, x)).toBe(3);
    expect(energy(csr, x)).toBe(3);
  });

  it('rejects an index out of range or not an integer with KILN_ERR_QUBO_INDEX naming the term', () => {
    const e = codeOf(() =>
      validateAndBuild({
        n: 2,
        terms: [
          [0, 1, 1],
          [0, 2, 1],
        ],
      }),
    );
    expect(e.code).toBe('KILN_ERR_QUBO_INDEX');
    expect(e.message).toContain('terms[1].j');
    expect(e.details).toMatchObject({ term: 1, field: 'terms[1].j' });
    expect(codeOf(() => validateAndBuild({ n: 2, terms: [[0.5, 1, 1]] })).code).toBe('KILN_ERR_QUBO_INDEX');
    expect(codeOf(() => validateAndBuild({ n: 2, terms: [{ i: -1, j: 1, w: 1 }] })).code).toBe('KILN_ERR_QUBO_INDEX');
  });

  it('rejects NaN/Inf weights and offsets with KILN_ERR_QUBO_NONFINITE', () => {
    const e = codeOf(() => validateAndBuild({ n: 2, terms: [[0, 1, Number.NaN]] }));
    expect(e.code).toBe('KILN_ERR_QUBO_NONFINITE');
    expect(e.message).toContain('terms[0].w');
    expect(codeOf(() => validateAndBuild({ n: 2, terms: [], offset: Number.POSITIVE_INFINITY })).code).toBe('KILN_ERR_QUBO_NONFINITE');
  });

  it('enforces maxN and maxTerms with KILN_ERR_QUBO_TOO_LARGE', () => {
    expect(codeOf(() => validateAndBuild({ n: 100_001, terms: [] })).code).toBe('KILN_ERR_QUBO_TOO_LARGE');
    expect(codeOf(() => validateAndBuild({ n: 11, terms: [] }, { maxN: 10 })).code).toBe('KILN_ERR_QUBO_TOO_LARGE');
    expect(
      codeOf(() =>
        validateAndBuild(
          {
            n: 2,
            terms: [
              [0, 1, 1],
              [0, 1, 1],
            ],
          },
          { maxTerms: 1 },
        ),
      ).code,
    ).toBe('KILN_ERR_QUBO_TOO_LARGE');
  });

  it('rejects malformed shapes with KILN_ERR_QUBO_PARSE', () => {
    expect(codeOf(() => validateAndBuild({ n: 0, terms: [] })).code).toBe('KILN_ERR_QUBO_PARSE');
    expect(codeOf(() => validateAndBuild({ n: 2 } as unknown as QuboInput)).code).toBe('KILN_ERR_QUBO_PARSE');
    expect(codeOf(() => validateAndBuild({ n: 2, terms: [[0, 1]] } as unknown as QuboInput)).code).toBe('KILN_ERR_QUBO_PARSE');
    expect(codeOf(() => validateAndBuild({ n: 2, terms: [[0, 1, '3']] } as unknown as QuboInput)).code).toBe('KILN_ERR_QUBO_PARSE');
  });
});
