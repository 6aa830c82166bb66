// Creates the database named by DATABASE_URL when missing and applies pending migrations.
import { ensureDatabase, migrate } from '@kiln/db';

const url = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/kiln';
const safe = url.replace(/\/\/[^@/]*@/, '//***@');
if (await ensureDatabase(url)) console.log(`[kiln] created database ${safe}`);
const result = await migrate({ url });
if (result.applied.length) console.log(`[kiln] applied migrations: ${result.applied.join(', ')}`);
