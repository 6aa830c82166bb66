// API keys straight in the database, for the operator of a machine (no API key needed):
//   npx tsx scripts/keys.ts first-run          (npm start: an admin key if there is none yet, printed once)
//   npx tsx scripts/keys.ts create --name NAME [--scope read|submit|admin ...]
//   npx tsx scripts/keys.ts revoke ID
// Through the API, an admin does the same with `kiln keys create|ls|revoke`.
import { parseArgs } from 'node:util';
import { type ApiKeyScope, countApiKeys, createApiKey, createDb, revokeApiKey } from '@kiln/db';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { name: { type: 'string' }, scope: { type: 'string', multiple: true } } });
const db = createDb({ url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/kiln' });
const dashboard = `http://127.0.0.1:${process.env.DASHBOARD_PORT ?? '8081'}`;
try {
  const [command, arg] = positionals;
  if (command === 'first-run') {
    if (process.env.KILN_BOOTSTRAP_ADMIN_KEY) process.exit(0);
    if ((await countApiKeys(db)) > 0) process.exit(0);
    const k = await createApiKey(db, { name: 'admin (first run)', scopes: ['admin'] });
    const bar = '='.repeat(78);
    console.log(
      [
        bar,
        'First run: an admin API key was created. It is shown only now; store it:',
        `    ${k.key}`,
        `Dashboard login:  ${dashboard}/login#key=${k.key}`,
        `CLI and client:   export KILN_API_KEY=${k.key}`,
        'More keys: kiln keys create --name NAME --scope submit   (lost it? npx tsx scripts/keys.ts create --name admin --scope admin)',
        bar,
      ]
        .map((l) => `[kiln] ${l}`)
        .join('\n'),
    );
  } else if (command === 'create') {
    if (!values.name) throw new Error('--name is required');
    const scopes = (values.scope?.length ? values.scope : ['read']) as ApiKeyScope[];
    for (const s of scopes) if (!['read', 'submit', 'admin'].includes(s)) throw new Error(`--scope must be read, submit or admin, got ${s}`);
    const k = await createApiKey(db, { name: values.name, scopes });
    console.log(k.key);
    console.error(`key ${k.id} (${k.name}, ${k.scopes.join(', ')}): store it now, it is not shown again`);
  } else if (command === 'revoke' && arg) {
    const row = await revokeApiKey(db, arg);
    if (!row) throw new Error(`no API key ${arg}`);
    console.log(`${row.id} (${row.name}) revoked`);
  } else {
    console.error('usage: npx tsx scripts/keys.ts first-run | create --name NAME [--scope S ...] | revoke ID');
    process.exitCode = 2;
  }
} catch (error) {
  console.error(`[kiln] keys: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
