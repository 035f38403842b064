// Writes test/durations.json (what test/sequencer.ts orders the files by)
// from vitest's JSON report of a run: node scripts/test-durations.mjs REPORT.json...
// A file's time runs from its first test's start to its last test's end.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'test', 'durations.json');
// Files that no longer exist are dropped; the report may come from another checkout (a fresh clone).
const durations = Object.fromEntries(Object.entries(JSON.parse(readFileSync(out, 'utf8'))).filter(([f]) => existsSync(join(root, f))));
for (const report of process.argv.slice(2)) {
  for (const r of JSON.parse(readFileSync(report, 'utf8')).testResults) {
    const file = r.name.slice(r.name.lastIndexOf('/test/') + 1);
    durations[file] = Math.round((r.endTime - r.startTime) / 1000);
  }
}
const sorted = Object.fromEntries(Object.entries(durations).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(out, JSON.stringify(sorted, null, 2) + '\n');
