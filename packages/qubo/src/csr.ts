import { QuboValidationError } from './errors.js';
import type { CsrQubo, QuboProblem } from './types.js';

/**
 * The one place where terms are merged (it also re-checks indices and weights, for hand-built problems). Diagonal terms (i == i) sum into h; each off-diagonal term
 * (i, j, w) adds w to J_ij = J_ji whatever the order it was given in, and repeated pairs add up.
 * Pairs whose merged J is exactly 0 are dropped. Rows come out with ascending columns (two
 * stable counting sorts, O(n + terms)) and the matrix is exactly symmetric.
 */
export function toCsr(problem: QuboProblem): CsrQubo {
  const { n } = problem;
  const { i: ti, j: tj, w: tw } = problem.terms;
  const m = ti.length;
  if (!Number.isInteger(n) || n < 1) throw new QuboValidationError('KILN_ERR_QUBO_PARSE', `n must be a positive integer, got ${n}`, { field: 'n' });
  if (tj.length !== m || tw.length !== m)
    throw new QuboValidationError('KILN_ERR_QUBO_PARSE', 'terms.i, terms.j and terms.w must have the same length', { field: 'terms' });
  if (!Number.isFinite(problem.offset)) throw new QuboValidationError('KILN_ERR_QUBO_NONFINITE', `offset ${problem.offset} is not finite`, { field: 'offset' });
  const h = new Float64Array(n);
  let off = 0;
  for (let k = 0; k < m; k++) {
    const a = ti[k] as number;
    const b = tj[k] as number;
    // Guard hand-built problems too: a bad index would otherwise write outside the typed arrays.
    if (a < 0 || a >= n || b < 0 || b >= n) {
      throw new QuboValidationError('KILN_ERR_QUBO_INDEX', `term ${k} (${a}, ${b}) refers to a variable outside 0..${n - 1}`, { term: k });
    }
    if (!Number.isFinite(tw[k] as number)) throw new QuboValidationError('KILN_ERR_QUBO_NONFINITE', `term ${k} has weight ${tw[k]}`, { term: k, field: 'w' });
    if (a === b) h[a] = (h[a] as number) + (tw[k] as number);
    else off++;
  }
  // Directed entries (row, col, val): each off-diagonal term twice, kept in term order.
  const nnz = 2 * off;
  const er = new Int32Array(nnz);
  const ec = new Int32Array(nnz);
  const ev = new Float64Array(nnz);
  let e = 0;
  for (let k = 0; k < m; k++) {
    const a = ti[k] as number;
    const b = tj[k] as number;
    if (a === b) continue;
    const w = tw[k] as number;
    er[e] = a;
    ec[e] = b;
    ev[e++] = w;
    er[e] = b;
    ec[e] = a;
    ev[e++] = w;
  }
  // Stable counting sort by column, then by row: rows grouped, columns ascending inside a row,
  // and entries of one (row, col) pair in their original term order.
  const byCol = countingOrder(ec, n, identity(nnz));
  const order = countingOrder(er, n, byCol);
  const rowPtr = new Int32Array(n + 1);
  const col = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  let out = 0;
  let p = 0;
  for (let r = 0; r < n; r++) {
    rowPtr[r] = out;
    while (p < nnz && er[order[p] as number] === r) {
      const c = ec[order[p] as number] as number;
      let sum = 0;
      while (p < nnz && er[order[p] as number] === r && ec[order[p] as number] === c) {
        sum += ev[order[p] as number] as number;
        p++;
      }
      if (sum !== 0) {
        col[out] = c;
        val[out++] = sum;
      }
    }
  }
  rowPtr[n] = out;
  return { n, rowPtr, col: col.slice(0, out), val: val.slice(0, out), h, offset: problem.offset };
}

function identity(m: number): Int32Array {
  const a = new Int32Array(m);
  for (let k = 0; k < m; k++) a[k] = k;
  return a;
}

/** Stable counting sort of the permutation `perm` by key[perm[k]] ∈ 0..n-1. */
function countingOrder(key: Int32Array, n: number, perm: Int32Array): Int32Array {
  const count = new Int32Array(n + 1);
  for (let k = 0; k < perm.length; k++) {
    const c = (key[perm[k] as number] as number) + 1;
    count[c] = (count[c] as number) + 1;
  }
  for (let r = 0; r < n; r++) count[r + 1] = (count[r + 1] as number) + (count[r] as number);
  const out = new Int32Array(perm.length);
  for (let k = 0; k < perm.length; k++) {
    const idx = perm[k] as number;
    const c = key[idx] as number;
    const at = count[c] as number;
    count[c] = at + 1;
    out[at] = idx;
  }
  return out;
}

/** Copies a CSR into SharedArrayBuffers, so worker threads read one copy without cloning. */
export function shareCsr(csr: CsrQubo): CsrQubo {
  const share = <T extends Int32Array | Float64Array>(a: T, make: (b: SharedArrayBuffer) => T): T => {
    const t = make(new SharedArrayBuffer(a.byteLength));
    t.set(a as never);
    return t;
  };
  return {
    n: csr.n,
    rowPtr: share(csr.rowPtr, (b) => new Int32Array(b)),
    col: share(csr.col, (b) => new Int32Array(b)),
    val: share(csr.val, (b) => new Float64Array(b)),
    h: share(csr.h, (b) => new Float64Array(b)),
    offset: csr.offset,
  };
}
