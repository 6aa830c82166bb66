// Regenerates the API's published contract from the code: docs/openapi.json (the OpenAPI 3.1
// document the API serves at /docs/json) and packages/client/src/generated/openapi.ts (its
// TypeScript types, by openapi-typescript, which @kiln/client is typed by). Run after changing a
// route or a schema: `npm run gen:client`. A test fails while either file is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderClientTypes, renderOpenApi } from './openapi-render.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const doc = await renderOpenApi();
writeFileSync(`${root}docs/openapi.json`, doc);
writeFileSync(`${root}packages/client/src/generated/openapi.ts`, await renderClientTypes(doc));
console.log('wrote docs/openapi.json and packages/client/src/generated/openapi.ts');
