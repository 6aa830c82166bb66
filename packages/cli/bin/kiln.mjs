#!/usr/bin/env node
// The `kiln` command (npx kiln … from the checkout). Kiln runs its TypeScript without a build
// step (docs/adr/0001): tsx's loader is registered here, then the CLI's entry point runs.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
