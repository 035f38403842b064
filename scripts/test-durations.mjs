// Writes test/durations.json (what test/sequencer.ts orders the files by)
// from vitest's JSON report of a run: node scripts/test-durations.mjs REPORT.json...
// A file's time runs from its first test's start to its last test's end.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'test', 'durations.json');
const durations = JSON.parse(readFileSync(out, 'utf8'));
for (const report of process.argv.slice(2)) {
  for (const r of JSON.parse(readFileSync(report, 'utf8')).testResults) {
    durations[relative(root, r.name)] = Math.round((r.endTime - r.startTime) / 1000);
  }
}
const sorted = Object.fromEntries(Object.entries(durations).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(out, JSON.stringify(sorted, null, 2) + '\n');
