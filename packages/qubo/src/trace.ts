export interface TracePoint {
  tMs: number;
  energy: number;
}

/** Keeps at most `max` points: the first, the last and evenly spaced ones between. */
export function thinTrace(trace: TracePoint[], max = 200): TracePoint[] {
  if (trace.length <= max) return trace;
  const out: TracePoint[] = [];
  const last = trace.length - 1;
  for (let k = 0; k < max; k++) out.push(trace[Math.round((k * last) / (max - 1))] as TracePoint);
  return out;
}

/** Best-so-far over time from several traces (each already monotone). */
export function mergeTraces(traces: TracePoint[][], max = 200): TracePoint[] {
  const all = traces.flat().sort((a, b) => a.tMs - b.tMs);
  const out: TracePoint[] = [];
  let best = Number.POSITIVE_INFINITY;
  for (const p of all) {
    if (p.energy < best) {
      best = p.energy;
      out.push(p);
    }
  }
  return thinTrace(out, max);
}
