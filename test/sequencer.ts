// Orders test files longest first, so that with several workers the long
// integration files start at once and the short ones fill in around them
// (otherwise a fresh clone, with no vitest cache, runs them by file size,
// and a 4-line file that runs for two minutes starts last). The durations
// come from test/durations.json (scripts/test-durations.mjs writes it from a
// run); a file it does not list counts as 20 s.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const UNKNOWN_S = 20;

function durations(root: string): Record<string, number> {
  try {
    return JSON.parse(readFileSync(join(root, 'test', 'durations.json'), 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const known = durations(root);
    const seconds = (f: TestSpecification) => known[relative(root, f.moduleId)] ?? UNKNOWN_S;
    return [...files].sort((a, b) => seconds(b) - seconds(a));
  }
}
