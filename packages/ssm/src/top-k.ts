// Top-K selection over a score vector (no TensorFlow.js: the API's online path uses it too).

export interface TopK {
  /** Dense item ids (1..nItems), best first. */
  items: Int32Array;
  scores: Float32Array;
}

/** "a ranks before b": higher score, then lower id; NaN ranks last. */
function before(sa: number, ia: number, sb: number, ib: number): boolean {
  if (sa === sb) return ia < ib;
  if (Number.isNaN(sb)) return !Number.isNaN(sa);
  if (Number.isNaN(sa)) return false;
  return sa > sb;
}

/** Top-k of scores[1..] (skipping excluded ids) with a size-k heap whose root is the worst kept entry. */
export function topK(scores: Float32Array, k: number, excluded?: Uint8Array): TopK {
  const heapItems = new Int32Array(k);
  const heapScores = new Float32Array(k);
  let size = 0;
  const worse = (a: number, b: number) => before(heapScores[b] as number, heapItems[b] as number, heapScores[a] as number, heapItems[a] as number);
  const swap = (a: number, b: number) => {
    const ti = heapItems[a] as number;
    heapItems[a] = heapItems[b] as number;
    heapItems[b] = ti;
    const ts = heapScores[a] as number;
    heapScores[a] = heapScores[b] as number;
    heapScores[b] = ts;
  };
  const siftDown = (start: number) => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && worse(l, m)) m = l;
      if (r < size && worse(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (let j = 1; j < scores.length; j++) {
    if (excluded?.[j]) continue;
    const s = scores[j] as number;
    if (size < k) {
      heapItems[size] = j;
      heapScores[size] = s;
      let i = size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(i, p)) break;
        swap(i, p);
        i = p;
      }
    } else if (before(s, j, heapScores[0] as number, heapItems[0] as number)) {
      heapItems[0] = j;
      heapScores[0] = s;
      siftDown(0);
    }
  }
  const idx = Array.from({ length: size }, (_, i) => i).sort((a, b) =>
    before(heapScores[a] as number, heapItems[a] as number, heapScores[b] as number, heapItems[b] as number) ? -1 : 1,
  );
  return { items: Int32Array.from(idx, (i) => heapItems[i] as number), scores: Float32Array.from(idx, (i) => heapScores[i] as number) };
}
