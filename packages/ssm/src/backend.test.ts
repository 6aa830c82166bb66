import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';

describe('initBackend', () => {
  it('falls back from tfjs-node to a verified backend, and honours an explicit cpu', async () => {
    const chosen = await initBackend();
    // tfjs-node cannot load on this kind of machine; wasm passes the training-step check.
    expect(['tensorflow', 'wasm', 'cpu']).toContain(chosen);
    expect(tf.getBackend()).toBe(chosen);
    expect(await initBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await initBackend('wasm');
    expect(['wasm', 'cpu']).toContain(wasm);
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
