// `npm run bench`: how long `hoplab up` + pods and `hoplab down` take for the
// 3-node lab with 2 pods and for 10 nodes x 10 pods, beside the same topology
// built by bench/plain-topology.sh; then `up` for every CNI mode the kernel
// builds, with the time to the first pod-to-pod answer across nodes. Needs
// root. Prints figures; asserts nothing. Then the scale part (bench/scale.ts).
import { execFileSync, spawnSync } from 'node:child_process';
import { apiRequest } from '../src/providers/netns/api-client.js';
import type { CniMode } from '../src/core/facts.js';
import { probeModes } from '../src/providers/netns/modes/support.js';
import { podNs } from '../src/providers/netns/names.js';

import { apiRecord, hoplab, median, plain, sh, since, timed } from './common.js';
import { bigRollout, scaleBench, upVersusScript } from './scale.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** Creates pods through the lab's API (as kubectl would) and waits until every one is Running. */
async function podsRunning(lab: string, count: number, workers: number): Promise<void> {
  const api = apiRecord(lab);
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      apiRequest(api, 'POST', '/api/v1/namespaces/default/pods', {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `bench-${i}` },
          spec: {
            nodeSelector: { 'kubernetes.io/hostname': `node-${1 + (i % workers)}` },
            containers: [{ name: 'httpd', image: 'httpd' }],
          },
      }).then((r) => {
        if (r.status !== 201) throw new Error(`create pod: ${r.status}`);
      }),
    ),
  );
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    const list = (await apiRequest<{ items: any[] }>(api, 'GET', '/api/v1/namespaces/default/pods')).json;
    if (list.items.filter((p) => p.status?.phase === 'Running').length === count) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('pods did not reach Running within 30 s');
}


/** Pings bench-0 (node-1) from bench-1 (node-2) until an answer comes back: traffic crosses the nodes. */
async function crossNodeTraffic(lab: string): Promise<void> {
  const api = apiRecord(lab);
  const pods = (await apiRequest<{ items: any[] }>(api, 'GET', '/api/v1/namespaces/default/pods')).json.items;
  const target = pods.find((p) => p.metadata.name === 'bench-0')?.status?.podIP as string;
  const from = podNs(lab, pods.find((p) => p.metadata.name === 'bench-1')!.metadata.uid as string);
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    if (spawnSync('ip', ['netns', 'exec', from, 'busybox', 'ping', '-c', '1', '-W', '1', target], { stdio: 'ignore' }).status === 0) return;
  }
  throw new Error(`no answer from ${target} across nodes within 30 s`);
}

/** One CNI mode on the 3-node lab: up, two pods Running, the first answer across nodes (all from the start of up), down. */
async function measureMode(cni: CniMode) {
  const lab = 'benchmode';
  const m = { up: [] as number[], pods: [] as number[], traffic: [] as number[], down: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    sh('node', [hoplab, '--name', lab, 'up', '--cni', cni, '--workers', '2']);
    m.up.push(since(t));
    await podsRunning(lab, 2, 2);
    m.pods.push(since(t));
    await crossNodeTraffic(lab);
    m.traffic.push(since(t));
    m.down.push(timed(() => sh('node', [hoplab, '--name', lab, 'down'])));
  }
  return { up: median(m.up), pods: median(m.pods), traffic: median(m.traffic), down: median(m.down) };
}

async function modes(): Promise<void> {
  const support = await probeModes('benchprobe');
  console.log('\nper CNI mode, 3 nodes, 2 pods (node-1, node-2); times from the start of up, median of runs, milliseconds');
  console.log('mode               up  pods Running  cross-node ping    down');
  for (const r of support.refused) console.log(`${r.mode.padEnd(15)} refused: this kernel lacks ${r.missing.join(', ')}`);
  for (const cni of support.working) {
    const r = await measureMode(cni);
    console.log(
      [cni.padEnd(15), r.up.toFixed(0).padStart(5), r.pods.toFixed(0).padStart(13), r.traffic.toFixed(0).padStart(16), r.down.toFixed(0).padStart(7)].join(' '),
    );
  }
}

async function measure(workers: number, pods: number) {
  const lab = `bench${workers}`;
  const h = { up: [] as number[], pods: [] as number[], down: [] as number[] };
  const s = { up: [] as number[], down: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    h.up.push(timed(() => sh('node', [hoplab, '--name', lab, 'up', '--workers', String(workers)])));
    const t = process.hrtime.bigint();
    await podsRunning(lab, pods, workers);
    h.pods.push(Number(process.hrtime.bigint() - t) / 1e6);
    h.down.push(timed(() => sh('node', [hoplab, '--name', lab, 'down'])));
    s.up.push(timed(() => sh('bash', [plain, 'up', `bp${workers}`, String(workers + 1), String(pods)])));
    s.down.push(timed(() => sh('bash', [plain, 'down', `bp${workers}`, String(workers + 1)])));
  }
  return { nodes: workers + 1, pods, hoplab: { up: median(h.up), pods: median(h.pods), down: median(h.down) }, script: { up: median(s.up), down: median(s.down) } };
}

async function main() {
  if (process.getuid?.() !== 0) {
    console.error('bench: needs root (it builds network namespaces)');
    process.exit(3);
  }
  execFileSync('node', [hoplab, '--version']);
  // BENCH_ONLY=scale runs only the scale part; BENCH_PODS sets its big Deployment's size.
  if (process.env.BENCH_ONLY === 'scale') return scaleBench({ big: Number(process.env.BENCH_PODS ?? 1000) });
  // BENCH_ONLY=rollout: only the big Deployment (BENCH_PODS, default 1000, on BENCH_WORKERS, default 20), profiled;
  // BENCH_SERVICE=1 puts a Service in front of it.
  // BENCH_ONLY=up: only the 3-node up beside the plain script (BENCH_RUNS times, default 5).
  if (process.env.BENCH_ONLY === 'up') return upVersusScript(Number(process.env.BENCH_RUNS ?? 5));
  if (process.env.BENCH_ONLY === 'rollout') return bigRollout(Number(process.env.BENCH_PODS ?? 1000), Number(process.env.BENCH_WORKERS ?? 20));
  console.log(`median of ${RUNS} runs, milliseconds; hoplab "up+pods" is up, then pods created through the API until all are Running`);
  console.log('topology          hoplab up   +pods  up+pods    down | script up+pods    down | ratio');
  for (const [workers, pods] of [[2, 2], [9, 10]] as const) {
    const r = await measure(workers, pods);
    const total = r.hoplab.up + r.hoplab.pods;
    const row = [
      `${r.nodes} nodes ${r.pods} pods`.padEnd(17),
      r.hoplab.up.toFixed(0).padStart(9),
      r.hoplab.pods.toFixed(0).padStart(7),
      total.toFixed(0).padStart(8),
      r.hoplab.down.toFixed(0).padStart(7),
      '|',
      r.script.up.toFixed(0).padStart(14),
      r.script.down.toFixed(0).padStart(7),
      '|',
      `${(total / r.script.up).toFixed(2)}x`,
    ];
    console.log(row.join(' '));
  }
  await modes();
  await scaleBench({ big: Number(process.env.BENCH_PODS ?? 1000) });
}

await main();
