import { describe, expect, it } from 'vitest';
import { energy } from './energy.js';
import type { QuboValidationError } from './errors.js';
import { evaluate } from './evaluate.js';
import { maxCutQubo } from './max-cut.js';
import { parseBiqMacSparse } from './parse-biqmac-sparse.js';
import { parseBqp } from './parse-bqp.js';
import { parseGset } from './parse-gset.js';
import { parseQuboJson } from './parse-qubo-json.js';

function errorOf(fn: () => unknown): QuboValidationError {
  try {
    fn();
  } catch (e) {
    expect((e as Error).name).toBe('QuboValidationError');
    return e as QuboValidationError;
  }
  throw new Error('expected a throw');
}

describe('parseGset', () => {
  it('reads CRLF lines with trailing spaces, 1-based to 0-based', () => {
    const g = parseGset('4 5 \r\n1 2 1\r\n2 3 1 \r\n3 4 -1\r\n4 1 1\r\n1 3 1\r\n');
    expect(g.n).toBe(4);
    expect(Array.from(g.edges.u)).toEqual([0, 1, 2, 3, 0]);
    expect(Array.from(g.edges.v)).toEqual([1, 2, 3, 0, 2]);
    expect(Array.from(g.edges.w)).toEqual([1, 1, -1, 1, 1]);
    const p = maxCutQubo(g);
    const x = Uint8Array.from([1, 0, 1, 0]);
    expect(evaluate(p, x).cut).toBe(1 + 1 - 1 + 1);
    expect(-energy(p, x)).toBe(2);
  });

  it('names the line of malformed input', () => {
    const e = errorOf(() => parseGset('3 2\r\n1 2 1\r\n2 x 1\r\n'));
    expect(e.code).toBe('KILN_ERR_QUBO_PARSE');
    expect(e.details.line).toBe(3);
    expect(e.message).toContain('line 3');
    expect(errorOf(() => parseGset('3 2\n1 2 1\n2 3\n')).details.line).toBe(3);
    expect(errorOf(() => parseGset('3 3\n1 2 1\n2 3 1\n')).code).toBe('KILN_ERR_QUBO_PARSE');
    expect(errorOf(() => parseGset('3 1\n1 2 1\n2 3 1\n')).details.line).toBe(3);
    const idx = errorOf(() => parseGset('3 1\n1 4 1\n'));
    expect(idx.code).toBe('KILN_ERR_QUBO_INDEX');
    expect(idx.details.line).toBe(2);
    expect(errorOf(() => parseGset('3 1\n1 2 1e999\n')).code).toBe('KILN_ERR_QUBO_NONFINITE');
    expect(errorOf(() => parseGset('3 1\n1 2 NaN\n')).code).toBe('KILN_ERR_QUBO_PARSE');
  });
});

describe('parseBqp', () => {
  // Two problems. Problem 1 (n=3): Q = [[2, -3, 0], [., 1, 4], [., ., -5]] upper triangle.
  const text = [' 2 ', ' 3 5 ', ' 1 1 2 ', ' 1 2 -3 ', ' 2 2 1', '2 3 4', '3 3 -5', '2 2', '1 2 5', '2 2 -1', ''].join('\n');

  it('reads every problem as a maximisation with off-diagonal entries counted twice', () => {
    const probs = parseBqp(text);
    expect(probs.map((p) => p.index)).toEqual([1, 2]);
    const p1 = (probs[0] as (typeof probs)[number]).problem;
    expect(p1.n).toBe(3);
    expect(p1.sense).toBe('max');
    // f(x) = Σ q_ii x_i + 2 Σ_{i<j} q_ij x_i x_j; x = (1,1,1): 2 + 1 − 5 + 2(−3 + 4) = 0
    expect(evaluate(p1, Uint8Array.from([1, 1, 1])).value).toBe(0);
    // x = (0,1,1): 1 − 5 + 2·4 = 4
    expect(evaluate(p1, Uint8Array.from([0, 1, 1])).value).toBe(4);
    expect(energy(p1, Uint8Array.from([0, 1, 1]))).toBe(-4);
    // x = (1,1,0): 2 + 1 + 2·(−3) = −3
    expect(evaluate(p1, Uint8Array.from([1, 1, 0])).value).toBe(-3);
    const p2 = (probs[1] as (typeof probs)[number]).problem;
    // n=2: q_12 = 5, q_22 = −1; x = (1,1): −1 + 10 = 9
    expect(evaluate(p2, Uint8Array.from([1, 1])).value).toBe(9);
  });

  it('names the line of a bad entry and of a missing one', () => {
    const bad = errorOf(() => parseBqp(text.replace('2 3 4', '2 3 four')));
    expect(bad.code).toBe('KILN_ERR_QUBO_PARSE');
    expect(bad.details.line).toBe(6);
    expect(bad.message).toContain('line 6');
    const short = errorOf(() => parseBqp(' 2\n 3 1\n 1 1 2\n'));
    expect(short.message).toContain('problem 2');
    expect(short.details.line).toBe(4);
    expect(errorOf(() => parseBqp('1\n2 1\n1 3 1\n')).code).toBe('KILN_ERR_QUBO_INDEX');
  });
});

describe('parseBiqMacSparse', () => {
  it('minimises xᵀQx with symmetric Q: comments, header, off-diagonals twice', () => {
    const p = parseBiqMacSparse('# a comment\n# another\n3 3\n1 1 -4\n1 2 3\n3 3 -1\n');
    expect(p.sense).toBe('min');
    expect(p.n).toBe(3);
    // x = (1,1,1): −4 + 2·3 − 1 = 1
    expect(evaluate(p, Uint8Array.from([1, 1, 1])).value).toBe(1);
    expect(energy(p, Uint8Array.from([1, 0, 1]))).toBe(-5);
  });

  it('names the line of malformed input', () => {
    const e = errorOf(() => parseBiqMacSparse('# c\n3 2\n1 1 -4\n1 2\n'));
    expect(e.details.line).toBe(4);
    expect(errorOf(() => parseBiqMacSparse('3\n')).details.line).toBe(1);
  });
});

describe('parseQuboJson', () => {
  it('parses text and objects through validateAndBuild', () => {
    const p = parseQuboJson('{"n": 2, "terms": [[0, 1, -1], {"i": 1, "j": 1, "w": 2}], "offset": 1}');
    expect(energy(p, Uint8Array.from([1, 1]))).toBe(2);
    expect(parseQuboJson({ n: 1, terms: [] }).n).toBe(1);
  });

  it('reports bad JSON with the line and bad fields with their codes', () => {
    const e = errorOf(() => parseQuboJson('{\n"n": 2,\n"terms": [1 2]}\n'));
    expect(e.code).toBe('KILN_ERR_QUBO_PARSE');
    expect(e.details.line).toBe(3);
    expect(e.message).toContain('line 3');
    expect(errorOf(() => parseQuboJson('{"n": 2, "terms": [}')).code).toBe('KILN_ERR_QUBO_PARSE');
    expect(errorOf(() => parseQuboJson('{"n": 2, "terms": [[0, 5, 1]]}')).code).toBe('KILN_ERR_QUBO_INDEX');
    expect(errorOf(() => parseQuboJson({ n: 2, terms: [[0, 1, Number.NaN]] })).code).toBe('KILN_ERR_QUBO_NONFINITE');
  });
});
