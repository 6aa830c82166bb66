import { initBackend, trainMamba4Rec, loadMamba4Rec, scoreTopK, Rng, evaluateRanks } from './src/index.js';
await initBackend();
const rng = new Rng(1); const nItems = 50; const sequences: Int32Array[] = [];
for (let u = 0; u < 200; u++) { const len = 12 + rng.int(12); let cur = 1 + rng.int(nItems); const seq = new Int32Array(len);
  for (let i = 0; i < len; i++) { seq[i] = cur; cur = rng.next() < 0.1 ? 1 + rng.int(nItems) : (cur % nItems) + 1; } sequences.push(seq); }
const r = await trainMamba4Rec({ sequences, nItems }, { model: { hiddenSize: 16, dState: 8, maxLen: 20 }, batchSize: 32, seed: 3, maxEpochs: 6 });
console.log(r.test['ndcg@10']);
const m = loadMamba4Rec(r.config, r.weights);
for (const h of [[7,8,9,10],[1,2,3,4,5,6,7,8,9,10], [20,21]]) {
  const t = scoreTopK(m, [Int32Array.from(h)], { k: 5, excludeSeen: false });
  console.log(h, Array.from(t[0]!.items), Array.from(t[0]!.scores).map(x=>x.toFixed(2)));
}
const s0 = sequences[0]!; console.log(Array.from(s0));
const t = scoreTopK(m, [s0.slice(0, s0.length - 1)], { k: 5, excludeSeen: false }); console.log(Array.from(t[0]!.items));
console.log(evaluateRanks(m, [s0.slice(0, s0.length - 1)], [s0[s0.length-1]!], {batchSize: 4}));
