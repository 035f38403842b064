// `--facts FILE`: cluster facts saved with `hoplab status --json`, so a
// command can work without a running lab (grading a pasted trace, drawing a
// topology for a handout).
import { readFile } from 'node:fs/promises';
import { UsageError } from '../core/errors.js';
import type { ClusterFacts } from '../core/facts.js';

export async function readFacts(file: string): Promise<ClusterFacts> {
  let data: any;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--facts ${file}: expected the JSON of 'hoplab status --json' (${(err as Error).message})`);
  }
  const facts = data?.facts ?? data;
  if (!Array.isArray(facts?.nodes) || !Array.isArray(facts?.pods)) {
    throw new UsageError(`--facts ${file}: expected cluster facts with nodes and pods, as 'hoplab status --json' prints them`);
  }
  return facts as ClusterFacts;
}
