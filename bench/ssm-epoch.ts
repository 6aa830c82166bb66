/**
 * Times one Mamba4Rec training epoch (and its validation pass) on ML-1M with the same defaults as an `ssm.train` job (@kiln/ssm TRAINING_DEFAULTS).
 *
 *   npx tsx bench/ssm-epoch.ts --data /work/shared/data/ml-1m/ml-1m.txt --epochs 1 \
 *     [--backend cpu|wasm|tensorflow] [--max-targets N] [--batch-size N] [--objective all-position|per-prefix]
 *
 * With --max-targets only a prefix of each epoch is trained and the full epoch is extrapolated
 * from it (both printed). The last line is one JSON object. Never asserts a time.
 */
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { type BackendPreference, initBackend, parseInteractions, type TrainObjective, trainingTargetsPerEpoch, trainMamba4Rec } from '@kiln/ssm';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    epochs: { type: 'string', default: '1' },
    backend: { type: 'string' },
    'max-targets': { type: 'string' },
    'batch-size': { type: 'string' },
    objective: { type: 'string', default: 'all-position' },
    seed: { type: 'string' },
  },
});
if (values.data === undefined) {
  console.error('usage: npx tsx bench/ssm-epoch.ts --data <ml-1m.txt> [--epochs 1] [--backend cpu|wasm] [--max-targets N]');
  process.exit(2);
}

const backend = await initBackend(values.backend as BackendPreference | undefined);
const tParse = performance.now();
const data = await parseInteractions(createReadStream(values.data), { format: 'sasrec' });
const parseSeconds = (performance.now() - tParse) / 1000;
const objective = values.objective as TrainObjective;
const nItems = data.stats.items;
const totalTargets = trainingTargetsPerEpoch({ sequences: data.sequences, nItems }, { objective, maxLen: 200 });
const maxTargets = values['max-targets'] === undefined ? undefined : Number(values['max-targets']);
console.log(
  `backend ${backend}; ${data.stats.users} users, ${nItems} items, ${data.stats.interactions} interactions (parsed in ${parseSeconds.toFixed(1)} s); ` +
    `${totalTargets} training targets per epoch (${objective})`,
);

let lastProgress = performance.now();
const result = await trainMamba4Rec(
  { sequences: data.sequences, nItems },
  {
    maxEpochs: Number(values.epochs),
    patience: Number.MAX_SAFE_INTEGER,
    seed: values.seed === undefined ? undefined : Number(values.seed),
    objective,
    batchSize: values['batch-size'] === undefined ? undefined : Number(values['batch-size']),
    maxTrainTargets: maxTargets,
    onBatch: (done, total) => {
      const now = performance.now();
      if (now - lastProgress > 15_000) {
        console.log(`  batch ${done}/${total}`);
        lastProgress = now;
      }
    },
    onEpoch: (e) => {
      const scale = totalTargets / Math.max(1, e.trainTargets);
      console.log(
        `epoch ${e.epoch}: loss ${e.loss.toFixed(4)}; train ${e.trainSeconds.toFixed(1)} s for ${e.trainTargets} targets ` +
          `(${(e.trainTargets / e.trainSeconds).toFixed(0)} targets/s; full epoch ≈ ${(e.trainSeconds * scale).toFixed(0)} s` +
          `${scale > 1.0001 ? ', extrapolated' : ''}); validation ${e.validSeconds.toFixed(1)} s; ` +
          `valid NDCG@10 ${(e.valid['ndcg@10'] ?? 0).toFixed(4)} HR@10 ${(e.valid['hr@10'] ?? 0).toFixed(4)}`,
      );
    },
  },
);

const last = result.epochs[result.epochs.length - 1];
if (last === undefined) throw new Error('no epoch ran');
const measuredTargets = last.trainTargets;
const targetsPerSecond = measuredTargets / last.trainSeconds;
const epochSeconds = totalTargets / targetsPerSecond;
console.log(
  `test (best epoch ${result.bestEpoch}): NDCG@10 ${(result.test['ndcg@10'] ?? 0).toFixed(4)} HR@10 ${(result.test['hr@10'] ?? 0).toFixed(4)}; ` +
    `masked NDCG@10 ${(result.testMasked['ndcg@10'] ?? 0).toFixed(4)}; ${result.parameters} parameters`,
);
console.log(
  JSON.stringify({
    bench: 'ssm-epoch',
    backend: result.backend,
    epoch_seconds: Number(epochSeconds.toFixed(2)),
    val_seconds: Number(last.validSeconds.toFixed(2)),
    train_targets: totalTargets,
    targets_per_s: Number(targetsPerSecond.toFixed(1)),
    measured_targets: measuredTargets,
    measured_train_seconds: Number(last.trainSeconds.toFixed(2)),
    extrapolated: measuredTargets < totalTargets,
    objective,
  }),
);
