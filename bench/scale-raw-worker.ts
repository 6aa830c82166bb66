/** bench/scale.ts' peer: a plain BullMQ Worker that returns at once (one process of N). */
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

const connection = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const worker = new Worker('raw', async () => ({ ok: true }), {
  connection,
  prefix: process.env.RAW_PREFIX ?? 'raw',
  concurrency: 64,
  removeOnComplete: { age: 604800, count: 10000 },
});
await worker.waitUntilReady();
console.log(JSON.stringify({ msg: 'raw worker ready' }));
process.on('SIGTERM', async () => {
  await worker.close();
  connection.disconnect();
  process.exit(0);
});
