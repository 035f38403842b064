#!/usr/bin/env node
import { cli } from '../dist/src/cli/main.js';
await cli();
