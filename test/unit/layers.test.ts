// The import graph of src/: a lower layer never imports a higher one, and no
// two modules import each other (also not for types only). The order, low to
// high (README, "Code layout"):
//   core < path < trace < kube < check < providers (the contract and what
//   providers share) < faults < labs < topology (drawings of the facts) < providers/netns, vagrant, kubeconfig (which do
//   not import each other) < providers/index.ts (the picker) < present (the
//   projector view), classroom (the classroom's protocol, server and client) < ui < classroom/ui (the dashboard) < cli
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(new URL('../../src', import.meta.url).pathname);

const LAYERS: [string, RegExp][] = [
  ['core', /^core\//],
  ['path', /^path\//],
  ['trace', /^trace\//],
  ['kube', /^kube\//],
  ['check', /^check\//],
  ['providers/netns', /^providers\/netns\//],
  ['providers/vagrant', /^providers\/vagrant\//],
  ['providers/kubeconfig', /^providers\/kubeconfig\//],
  ['providers/index', /^providers\/index\.ts$/],
  ['providers', /^providers\//],
  ['faults', /^faults\//],
  ['labs', /^labs\//],
  ['topology', /^topology\//],
  ['present', /^present\//],
  ['classroom/ui', /^classroom\/ui\//],
  ['classroom', /^classroom\//],
  ['ui', /^ui\//],
  ['cli', /^cli\//],
];
const RANK: Record<string, number> = {
  core: 0,
  path: 1,
  trace: 2,
  kube: 3,
  check: 4,
  providers: 5,
  faults: 5.5,
  labs: 6,
  'providers/netns': 7,
  'providers/vagrant': 7,
  'providers/kubeconfig': 7,
  'providers/index': 8,
  topology: 6.5,
  present: 8.5,
  classroom: 8.5,
  ui: 9,
  'classroom/ui': 9.5,
  cli: 10,
};

function layerOf(file: string): string {
  const hit = LAYERS.find(([, re]) => re.test(file));
  if (!hit) throw new Error(`${file}: in no layer; add its directory to LAYERS`);
  return hit[0];
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

/** file (relative to src/) → the files it imports, statically, dynamically or for types. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const abs of sources(SRC)) {
    const text = readFileSync(abs, 'utf8');
    const targets: string[] = [];
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)'(\.[^']+)'/gm)) {
      const base = resolve(dirname(abs), m[1]!).replace(/\.js$/, '');
      const file = ['.ts', '.tsx'].map((ext) => base + ext).find((f) => {
        try {
          return statSync(f).isFile();
        } catch {
          return false;
        }
      });
      if (file) targets.push(relative(SRC, file));
    }
    graph.set(relative(SRC, abs), targets);
  }
  return graph;
}

describe('the layers of src/', () => {
  const graph = importGraph();

  it('reads a graph of the whole tree', () => {
    expect(graph.size).toBeGreaterThan(200);
    expect(graph.get('cli/main.ts')).toContain('core/errors.ts');
  });

  it('no module imports from a higher layer, and provider implementations do not import each other', () => {
    const wrong: string[] = [];
    for (const [from, tos] of graph) {
      const a = layerOf(from);
      for (const to of tos) {
        const b = layerOf(to);
        if (a === b) continue;
        if (RANK[b]! > RANK[a]! || (RANK[a] === RANK[b] && a !== b)) wrong.push(`${from} (${a}) imports ${to} (${b})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has no import cycles, also not through type-only imports', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const t of graph.get(f) ?? []) {
        if (state.get(t) === 'open') cycles.push([...stack.slice(stack.indexOf(t)), t].join(' → '));
        else if (!state.has(t)) visit(t);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of [...graph.keys()].sort()) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });
});
