// Renders the API's OpenAPI document and @kiln/client's types from the code (used by
// scripts/gen-client.ts and by the client's test that keeps the committed copies fresh).
import openapiTS, { astToString } from 'openapi-typescript';
import { buildApi } from '../services/api/src/app.js';

/** The document as the API serves it at /docs/json, pretty-printed (no connection is used to build it). */
export async function renderOpenApi(): Promise<string> {
  const app = await buildApi({
    databaseUrl: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/kiln',
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  });
  try {
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    if (res.statusCode !== 200) throw new Error(`/docs/json answered ${res.statusCode}`);
    return `${JSON.stringify(res.json(), null, 2)}\n`;
  } finally {
    await app.close();
  }
}

export async function renderClientTypes(doc: string): Promise<string> {
  const ast = await openapiTS(JSON.parse(doc), { exportType: false, alphabetize: false });
  return `// Generated from docs/openapi.json by \`npm run gen:client\` (openapi-typescript). Do not edit.\n\n${astToString(ast)}`;
}
