import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nativeStatus } from '@kiln/kernels';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { backendInfo, initBackend } from './backend.js';
import { kilnTestMode } from './testing/native-gate.js';

describe('initBackend', () => {
  it('picks kiln when the addon is built (else falls back to a verified backend), and honours an explicit choice', async () => {
    const chosen = await initBackend();
    const gate = kilnTestMode();
    if (gate.mode === 'fail') throw new Error(gate.reason);
    // tfjs-node cannot load on this kind of machine; kiln (when built) and wasm pass the training-step check.
    expect(chosen).toBe(gate.mode === 'run' ? 'kiln' : chosen);
    expect(['kiln', 'tensorflow', 'wasm', 'cpu']).toContain(chosen);
    expect(tf.getBackend()).toBe(chosen);
    expect(backendInfo()).toEqual({ backend: chosen, native: nativeStatus() });
    expect(await initBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await initBackend('wasm');
    expect(['wasm', 'cpu']).toContain(wasm);
    expect(await initBackend('tensorflow')).not.toBe('kiln');
  });

  it('says why the native addon is not in use', () => {
    const status = backendInfo().native;
    if (status.loaded) expect(status.path).toMatch(/\.node$/);
    else expect(status.reason).toMatch(/\S/);
  });
});

describe.runIf(kilnTestMode().mode === 'run')('initBackend in a worker thread', () => {
  const probe = (preload: boolean) => {
    const script = new URL('./testing/worker-backend-probe.ts', import.meta.url).pathname;
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, ...(preload ? ['--preload'] : [])], { encoding: 'utf8', timeout: 60_000 });
    return {
      status: run.status,
      signal: run.signal,
      out: JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { backend: string; native: { reason?: string } },
    };
  };

  it('uses kiln when the main thread has loaded the addon, and the process survives the thread', () => {
    const r = probe(true);
    expect(r).toMatchObject({ status: 0, signal: null, out: { backend: 'kiln' } });
  });

  it('does not load the addon from a worker thread alone (its exit would crash the process), and says so', () => {
    const r = probe(false);
    expect(r.status).toBe(0);
    expect(r.out.backend).not.toBe('kiln');
    expect(r.out.native.reason).toMatch(/main thread/);
  });
});

describe('@kiln/ssm/data', () => {
  it('does not import tensorflow (the API process imports it)', () => {
    const dir = new URL('./data/', import.meta.url).pathname;
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      const source = readFileSync(join(dir, file), 'utf8');
      expect(source, file).not.toMatch(/from '@tensorflow|import '@tensorflow|from '\.\.\//);
    }
  });
});
