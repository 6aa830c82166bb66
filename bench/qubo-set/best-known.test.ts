import { describe, expect, it } from 'vitest';
import { BEST_KNOWN_NOTE, type BestKnownEntry, bestKnownText, emptyBestKnown, mergeEntry, parseBestKnown } from './best-known.js';

const entry = (value: number, over: Partial<BestKnownEntry> = {}): BestKnownEntry => ({
  kind: 'maxcut',
  sense: 'max',
  value,
  family: 'torus',
  n: 800,
  m: 1600,
  densityPct: 0.5006,
  weights: '±1',
  sha256: 'aa',
  foundBy: 'auto',
  kernelMode: 'loihi',
  seed: 1,
  timeToBestS: 0.1,
  seconds: 5,
  seeds: 2,
  modes: 'auto,sa,loihi,tabu',
  runsAtValue: 3,
  runs: 8,
  date: '2026-12-06T03:00:00.000Z',
  command: 'npm run bench:qubo-set:reference -- --time 5 --seeds 2',
  ...over,
});

describe('mergeEntry: an entry only ever improves', () => {
  it('stores a first value', () => {
    expect(mergeEntry(undefined, entry(500))).toEqual({ entry: entry(500), outcome: 'new' });
  });

  it('takes a higher value with its run', () => {
    const found = entry(510, { date: 'later', foundBy: 'tabu' });
    expect(mergeEntry(entry(500), found)).toEqual({ entry: found, outcome: 'improved' });
  });

  it('keeps the stored value against a lower one, and against a tie (the first run that found it stays)', () => {
    const stored = entry(500, { date: 'first' });
    expect(mergeEntry(stored, entry(490, { date: 'later' }))).toEqual({ entry: stored, outcome: 'kept' });
    expect(mergeEntry(stored, entry(500, { date: 'later' }))).toEqual({ entry: stored, outcome: 'kept' });
  });

  it('replaces the entry of a file that changed, even by a lower value', () => {
    const found = entry(400, { sha256: 'bb' });
    expect(mergeEntry(entry(500), found)).toEqual({ entry: found, outcome: 'replaced' });
  });
});

describe('the file', () => {
  it("writes the note, the runs, then the instances in the set's order, and reads back", () => {
    const file = emptyBestKnown();
    file._runs.push({ date: 'd', command: 'c', seconds: 5, seeds: 2, modes: 'sa', threads: 2, machine: 'm', instances: 2, improved: ['b', 'a'] });
    file.zzz = entry(1);
    file.b = entry(2);
    file.a = entry(3);
    const text = bestKnownText(file, ['b', 'a']);
    expect(Object.keys(JSON.parse(text))).toEqual(['_note', '_runs', 'b', 'a', 'zzz']);
    const back = parseBestKnown(text);
    expect(back._note).toBe(BEST_KNOWN_NOTE);
    expect(back.a).toEqual(entry(3));
    expect(back._runs).toHaveLength(1);
  });

  it('gives bench/qubo.ts what it reads: kind, sense and value per instance name', () => {
    const file = emptyBestKnown();
    file['torus-800-pm1'] = entry(556);
    const read = JSON.parse(bestKnownText(file, [])) as Record<string, { kind: string; sense: string; value: number }>;
    expect(read['torus-800-pm1']).toMatchObject({ kind: 'maxcut', sense: 'max', value: 556 });
  });

  it('refuses a malformed file rather than overwrite it', () => {
    expect(() => parseBestKnown('[]')).toThrow(/object/);
    expect(() => parseBestKnown('{"x": {"value": "1", "sha256": "a", "sense": "max"}}')).toThrow(/x/);
    expect(() => parseBestKnown('{"x": {"value": 1, "sense": "max"}}')).toThrow(/sha256/);
    expect(() => parseBestKnown('{')).toThrow();
  });
});
