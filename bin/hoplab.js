#!/usr/bin/env node
// The bundled CLI when the build made one (scripts/bundle-cli.mjs), else tsc's output.
import { existsSync } from 'node:fs';
const bundled = new URL('../dist/bundle/main.js', import.meta.url);
const { cli } = await import(existsSync(bundled) ? bundled.href : '../dist/src/cli/main.js');
await cli();
