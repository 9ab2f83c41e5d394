#!/usr/bin/env node
// The admin CLI (`npx steward …`). It runs the TypeScript sources through tsx so that the CLI,
// the extension and the tests share one copy of every module (no separate CLI build to drift).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
