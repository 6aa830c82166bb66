#!/usr/bin/env node
// Builds Kiln's native addon (packages/kernels/build/Release/kiln_native.node) with the locally
// installed node-gyp. Run by `npm run setup`; plain Node, no dependencies beyond node-gyp.
//
// - Skips the build when a hash of binding.gyp + native/** (and the Node version) matches the stamp
//   next to the built addon, so repeated setups are instant. `--force` rebuilds anyway.
// - Never fails the caller: a failed or impossible build prints one line saying why, records it in
//   build/kiln-build-status.json (read by loadNative()/nativeStatus()) and exits 0; Kiln then runs
//   on its JS fallback. The kernels' tests fail when a C++ compiler exists but the addon is missing.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = dirname(dirname(fileURLToPath(import.meta.url)));
const buildDir = join(pkgDir, 'build');
const addon = join(buildDir, 'Release', 'kiln_native.node');
const stampFile = join(buildDir, 'Release', 'kiln_native.stamp');
const statusFile = join(buildDir, 'kiln-build-status.json');
const logFile = join(buildDir, 'build.log');
const shown = relative(process.cwd(), addon) || addon;
const force = process.argv.includes('--force');

const say = (msg) => console.log(`[kiln] native kernels: ${msg}`);

function record(ok, reason, log) {
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(statusFile, `${JSON.stringify({ ok, reason, at: new Date().toISOString() })}\n`);
  if (log !== undefined) writeFileSync(logFile, log);
}

function sourceHash() {
  const h = createHash('sha256');
  const files = [join(pkgDir, 'binding.gyp')];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(join(pkgDir, 'native'));
  for (const f of files) h.update(relative(pkgDir, f)).update('\0').update(readFileSync(f)).update('\0');
  h.update(`${process.version} ${process.arch} ${process.platform}`);
  return h.digest('hex');
}

function hasCompiler() {
  const cxx = process.env.CXX || 'g++';
  return spawnSync('sh', ['-c', `command -v ${cxx} || command -v c++`], { encoding: 'utf8' }).stdout.trim() !== '';
}

/** Loads the fresh addon in a child process: proves it loads and says what it picked. */
function describe() {
  const code = `const i = require(${JSON.stringify(addon)}).info; console.log(\`simd \${i.simd}, sgemm \${i.blas ?? 'Kiln own'}, \${i.threads} threads\`)`;
  const res = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  return res.status === 0 ? { ok: true, text: res.stdout.trim() } : { ok: false, text: (res.stderr || res.stdout).trim().split('\n')[0] };
}

function main() {
  let hash;
  try {
    hash = sourceHash();
  } catch (err) {
    say(`sources missing (${err.message}); skipped`);
    return;
  }
  if (!force && existsSync(addon) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === hash) return;

  if (!hasCompiler()) {
    const reason = 'no C++ compiler (g++) found; install build-essential and run npm run setup';
    record(false, reason);
    say(`not built: ${reason}. Kiln uses its JS fallback.`);
    return;
  }
  let gyp;
  try {
    gyp = createRequire(join(pkgDir, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    const reason = 'node-gyp is not installed (run npm install)';
    record(false, reason);
    say(`not built: ${reason}. Kiln uses its JS fallback.`);
    return;
  }
  const args = [gyp, 'rebuild', '--release', '--jobs=max'];
  // Outside npm, node-gyp does not see npm's `nodedir`: point it at the running Node's headers
  // when they are installed beside it (e.g. /usr/include/node), so it never tries to download them.
  const prefix = dirname(dirname(process.execPath));
  if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);

  const started = Date.now();
  const res = spawnSync(process.execPath, args, { cwd: pkgDir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const log = `${res.stdout ?? ''}${res.stderr ?? ''}`;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (res.error || res.status !== 0 || !existsSync(addon)) {
    const firstError =
      log
        .split('\n')
        .find((l) => /error/i.test(l) && !/^gyp info/.test(l))
        ?.trim() ?? res.error?.message;
    const reason = `node-gyp rebuild failed${firstError ? ` (${firstError.slice(0, 200)})` : ''}; full log in packages/kernels/build/build.log`;
    record(false, reason, log);
    say(`BUILD FAILED: ${reason}. Kiln uses its JS fallback.`);
    return;
  }
  const loaded = describe();
  if (!loaded.ok) {
    const reason = `built but does not load: ${loaded.text}`;
    record(false, reason, log);
    say(`BUILD FAILED: ${reason}. Kiln uses its JS fallback.`);
    return;
  }
  record(true, undefined, log);
  writeFileSync(stampFile, `${hash}\n`);
  say(`built ${shown} in ${seconds} s (${loaded.text})`);
}

try {
  main();
} catch (err) {
  // Never make setup fail because of the optional native build.
  try {
    record(false, `build script error: ${err?.message ?? err}`);
  } catch {}
  say(`BUILD FAILED: build script error: ${err?.message ?? err}. Kiln uses its JS fallback.`);
}
process.exit(0);
