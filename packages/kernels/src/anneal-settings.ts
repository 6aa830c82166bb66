/**
 * The settings every QUBO annealer of Kiln shares: the native kernel (`annealQubo`), the JS
 * reference (`@kiln/qubo`'s `anneal`), `@kiln/qubo`'s `solve()` and the `qubo.solve` job payload
 * (whose schema in `@kiln/contracts` is type-checked against this). Declared once, here, at the
 * lowest layer; the layers above pick from it and add their own.
 */
export interface AnnealSettings {
  /** Seed of all randomness (an integer in 0..2³¹−1 at the API); results are deterministic for a seed unless a time limit, target or stop cuts the run. */
  seed: number;
  /** Independent searches. Default: 16 per thread for 'sa'/'loihi' (one AVX-512 register each), 512 per thread for 'multispin' (one bit each of a 512-bit word), a population of 10 per thread for 'memetic', 1 per thread for 'tabu' and the JS annealer. */
  replicas: number;
  /** sa, multispin: sweeps per anneal (default 1000); loihi: steps per temperature cycle (default 1000); tabu: stall iterations (default max(2000, 20n)); memetic: a child's tabu stall (default max(200, 2n)). */
  sweeps: number;
  /** Hot inverse temperature (sa, loihi). Default: from the problem's coefficients (dwave-neal's rule; see defaultAnnealSchedule). */
  betaStart: number;
  /** Cold inverse temperature (sa, loihi). Default: from the problem's coefficients. */
  betaEnd: number;
  /** β from betaStart to betaEnd: 'geometric' (sa's default) or 'linear' in β (loihi's default). */
  schedule: 'geometric' | 'linear';
  /** Wall-clock budget in ms; checked every few thousand flips. */
  timeLimitMs: number;
  /**
   * Keep going until timeLimitMs (required), target or stop: sa starts new anneals from random
   * states, loihi keeps cycling its temperature, tabu perturbs its best state. Without it every
   * replica runs one anneal / one cycle / one episode.
   */
  restarts: boolean;
  /** Stop as soon as a state with energy ≤ target + 1e-9 is found. */
  target: number;
}
