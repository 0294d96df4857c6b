#!/usr/bin/env node
// Runs the compiled command (dist/paddock.js, bundled from src/ by scripts/build.mjs: `npm ci` builds it as
// `prepare`, and it is rebuilt here first when a source file is newer), so no TypeScript is compiled at start-up.
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from '../scripts/build.mjs';

await import(pathToFileURL(await ensureBuilt()).href);
