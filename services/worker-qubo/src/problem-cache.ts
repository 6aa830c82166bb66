import type { QuboProblem } from '@kiln/qubo';

/**
 * Problems loaded from Postgres, kept for the next job that names them (a stream of solves of
 * one problem reads it once). Problems never change once stored; the cache holds at most
 * `maxTerms` terms in all (about 20 bytes each), least recently used out first.
 */
export class ProblemCache {
  private readonly entries = new Map<string, QuboProblem>();
  private terms = 0;

  constructor(private readonly maxTerms = 5_000_000) {}

  async get(id: string, load: () => Promise<QuboProblem | null>): Promise<QuboProblem | null> {
    const hit = this.entries.get(id);
    if (hit) {
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit;
    }
    const problem = await load();
    if (!problem) return null;
    const size = problem.terms.w.length + (problem.graph?.edges.w.length ?? 0);
    if (size <= this.maxTerms) {
      this.entries.set(id, problem);
      this.terms += size;
      for (const [key, p] of this.entries) {
        if (this.terms <= this.maxTerms) break;
        this.entries.delete(key);
        this.terms -= p.terms.w.length + (p.graph?.edges.w.length ?? 0);
      }
    }
    return problem;
  }
}
