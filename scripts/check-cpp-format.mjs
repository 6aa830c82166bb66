#!/usr/bin/env node
// The formatter check of Kiln's C++ (packages/kernels/native/**/*.{h,cc}), as `biome check` is for
// the TypeScript: clang-format with the repository's .clang-format. Plain Node, no dependencies.
//
//   node scripts/check-cpp-format.mjs           npm run lint:cpp (and npm test): fails listing the files to fix
//   node scripts/check-cpp-format.mjs --write   npm run format:cpp: rewrites the files in place
//
// Without clang-format (Debian: apt-get install clang-format; npm run setup installs it when it runs
// as root with apt) the check prints one line and passes, unless CI or KILN_REQUIRE_CLANG_FORMAT is
// set (to anything but '', '0' or 'false'): then it fails. CLANG_FORMAT names another binary (e.g.
// clang-format-14). The files are formatted with clang-format 14 (Debian bookworm); other versions
// may disagree on details.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const sourceDir = join(root, 'packages', 'kernels', 'native');
const write = process.argv.includes('--write');
const bin = process.env.CLANG_FORMAT || 'clang-format';
const say = (msg) => console.log(`[kiln] C++ format: ${msg}`);
const fail = (msg) => {
  console.error(`[kiln] C++ format: ${msg}`);
  process.exit(1);
};

function sources(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sources(path));
    else if (/\.(h|cc)$/.test(entry.name)) files.push(path);
  }
  return files;
}

const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
if (version.error || version.status !== 0) {
  const required = ['CI', 'KILN_REQUIRE_CLANG_FORMAT'].filter((k) => process.env[k] && !['0', 'false'].includes(process.env[k].toLowerCase()));
  const line = `${bin} is not installed (install it with: apt-get install clang-format)`;
  if (write) fail(`cannot format: ${line}`);
  if (required.length) fail(`check failed: ${line}; required because ${required.join(' and ')} is set`);
  say(`check skipped: ${line}`);
  process.exit(0);
}
const versionText = version.stdout.trim().replace(/^.*?(clang-format version \S+).*$/s, '$1');

if (!existsSync(join(root, '.clang-format'))) fail('.clang-format is missing at the repository root');
const files = sources(sourceDir);
const shown = files.map((f) => relative(root, f));
if (files.length === 0) fail(`no .h/.cc files under ${relative(root, sourceDir)}`);

if (write) {
  const res = spawnSync(bin, ['-i', '--style=file', ...files], { cwd: root, encoding: 'utf8' });
  if (res.error || res.status !== 0) fail(`${bin} -i failed: ${(res.stderr || res.error?.message || '').trim()}`);
  say(`formatted ${files.length} files (${versionText})`);
  process.exit(0);
}

// --dry-run --Werror: one "file:line:col: error: code should be clang-formatted" per place.
const res = spawnSync(bin, ['--dry-run', '--Werror', '--style=file', ...shown], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
if (res.error) fail(`${bin} failed: ${res.error.message}`);
const places = new Map();
for (const line of res.stderr.split('\n')) {
  const m = /^(.+?):(\d+):\d+: (?:error|warning): /.exec(line);
  if (!m) continue;
  const at = places.get(m[1]) ?? [];
  at.push(Number(m[2]));
  places.set(m[1], at);
}
if (res.status !== 0 && places.size === 0) fail(`${bin} failed (exit ${res.status}): ${res.stderr.trim().split('\n').slice(0, 5).join(' | ')}`);
if (places.size > 0) {
  console.error(`[kiln] C++ format: ${places.size} of ${files.length} files are not formatted as .clang-format says (${versionText}):`);
  for (const [file, lines] of places) {
    const at = [...new Set(lines)];
    const more = at.length > 8 ? ', …' : '';
    console.error(`  ${file}: ${at.length === 1 ? '1 place, line' : `${at.length} places, lines`} ${at.slice(0, 8).join(', ')}${more}`);
  }
  fail('fix them with: npm run format:cpp (clang-format -i --style=file <files>)');
}
say(`${files.length} files OK (${versionText})`);
