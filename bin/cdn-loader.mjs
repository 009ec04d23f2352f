#!/usr/bin/env node
// `npx cdn-loader manifest <dir> --edge URL…` and `npx cdn-loader check <manifest>`: see README, "CLI".
// The code is cli/main.ts, bundled with the loader's own manifest validator into dist/cli.mjs.
import { main } from '../dist/cli.mjs';

process.exitCode = await main(process.argv.slice(2));
