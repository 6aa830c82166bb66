// Screenshots of every console page at 1280 px, into docs/screenshots/ (or the folder given):
// runs tests/e2e/console.test.ts, which starts a platform (fresh Postgres database, Redis prefix,
// API, dashboard, worker-ssm and worker-qubo in-process), generates its data (two datasets, a
// trained model, a scoring run, a QUBO problem and solve, cancelled jobs, an orphaned job) through
// the forms in headless Chromium (playwright-core, /usr/bin/chromium), and saves a PNG per page.
//
//   node --import tsx services/dashboard/scripts/screenshots.ts [folder]
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const folder = resolve(process.argv[2] ?? resolve(root, 'docs/screenshots'));
const run = spawnSync('npx', ['vitest', 'run', 'tests/e2e/console.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, KILN_DASHBOARD_SCREENSHOTS: folder },
});
if (run.status !== 0) {
  console.error(`screenshots: the console test failed (exit ${run.status}); the PNGs in ${folder} may be incomplete`);
  process.exit(run.status ?? 1);
}
console.log(`screenshots: written to ${folder}`);
