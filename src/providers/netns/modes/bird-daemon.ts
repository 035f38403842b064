// Runs BIRD 2 in every node namespace, each with its own config, control
// socket, pid file and log under the lab's state directory, and waits until
// the mesh is Established and every node's kernel holds its peers' routes.
// Teardown needs nothing extra: BIRD lives in the node's namespace, and
// `down` kills every process found there.
import { existsSync } from 'node:fs';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InterruptedError, MachineError } from '../../../core/errors.js';
import { run, runOk } from '../../../core/exec.js';
import type { ProgressEvent } from '../../provider.js';
import { ETC_NETNS } from '../etc-files.js';
import { inNs } from '../namespaces.js';
import type { LabPlan, NodePlan } from '../plan.js';
import type { LabPaths } from '../state.js';
import { birdConfig, meshProtocolName, type BirdFiles, type BirdOptions } from './bird-config.js';
import type { RoutingDaemon } from './types.js';

/** How long `up` waits for the mesh; calico-bgp promises a working mesh well within 10 s. */
const MESH_TIMEOUT_MS = 15_000;
const POLL_MS = 50;

/** One directory per node; inside the node it also appears as /etc/bird (see showAsEtcBird). */
export function birdFiles(paths: LabPaths, node: string): BirdFiles & { dir: string } {
  const dir = join(paths.dir, 'bird', node);
  return {
    dir,
    config: join(dir, 'bird.conf'),
    socket: join(dir, 'bird.ctl'),
    pid: join(dir, 'bird.pid'),
    log: join(dir, 'bird.log'),
  };
}

/** Where the node's BIRD files appear inside the node, as on a real node (BIRD's own directory). */
export const NODE_BIRD_DIR = '/etc/bird';

/**
 * `ip netns exec NS` bind-mounts every entry of /etc/netns/NS over /etc, so a
 * link there named `bird` makes the node's own BIRD directory its /etc/bird:
 * in `hoplab ssh node-1`, `cat /etc/bird/bird.conf` and
 * `birdc -s /etc/bird/bird.ctl show protocols` work whatever the lab is
 * called. Only where the machine has /etc/bird to mount over (bird2 makes it).
 */
async function showAsEtcBird(node: NodePlan, dir: string): Promise<void> {
  if (!existsSync(NODE_BIRD_DIR)) return;
  const etc = join(ETC_NETNS, node.ns);
  await mkdir(etc, { recursive: true });
  await rm(join(etc, 'bird'), { force: true });
  await symlink(dir, join(etc, 'bird'));
}

export interface ProtocolRow {
  name: string;
  proto: string;
  state: string;
  info: string;
}

/** Rows of `birdc show protocols`. */
export function parseProtocols(text: string): ProtocolRow[] {
  const rows: ProtocolRow[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4 || f[0] === 'Name' || f[0] === 'BIRD') continue;
    const [name, proto, , state, , ...rest] = f;
    rows.push({ name: name!, proto: proto!, state: state!, info: rest.join(' ') });
  }
  return rows;
}

/** Mesh peers of `node` not yet Established, by protocol name. */
export function pendingPeers(plan: LabPlan, node: NodePlan, rows: ProtocolRow[]): string[] {
  const established = new Set(rows.filter((r) => r.proto === 'BGP' && /Established/.test(r.info)).map((r) => r.name));
  return plan.nodes.filter((p) => p.name !== node.name).map((p) => meshProtocolName(p.eth1)).filter((n) => !established.has(n));
}

async function showProtocols(files: BirdFiles): Promise<ProtocolRow[]> {
  const r = await run(['birdc', '-s', files.socket, 'show', 'protocols']);
  return r.exitCode === 0 ? parseProtocols(r.stdout) : [];
}

/** Routes BIRD put into the node's kernel (`proto bird`). */
async function kernelBirdRoutes(node: NodePlan): Promise<string[]> {
  const r = await run(['ip', '-n', node.ns, 'route', 'show', 'proto', 'bird']);
  return r.exitCode === 0 ? r.stdout.split('\n').filter(Boolean) : [];
}

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

export function birdRouting(opts: BirdOptions = {}): RoutingDaemon {
  return {
    async start(plan, paths: LabPaths, emit: (e: ProgressEvent) => void, signal?: AbortSignal) {
      const deadline = Date.now() + MESH_TIMEOUT_MS;
      await Promise.all(
        plan.nodes.map(async (node) => {
          const files = birdFiles(paths, node.name);
          emit({ type: 'phase', phase: 'bgp', node: node.name, state: 'start', detail: 'starting BIRD' });
          await mkdir(files.dir, { recursive: true, mode: 0o700 });
          await writeFile(files.config, birdConfig(plan, node, files, opts));
          await showAsEtcBird(node, files.dir);
          // BIRD forks into the background once its configuration is read.
          await runOk(inNs(node.ns, ['bird', '-c', files.config, '-s', files.socket, '-P', files.pid]), { signal });
        }),
      );
      await Promise.all(
        plan.nodes.map(async (node) => {
          const files = birdFiles(paths, node.name);
          const peers = plan.nodes.length - 1;
          let rows: ProtocolRow[] = [];
          let routes: string[] = [];
          for (;;) {
            if (signal?.aborted) throw new InterruptedError('up was interrupted while BGP came up');
            rows = await showProtocols(files);
            // Established is not enough: the peers' blocks must be in the kernel too (+1: our blackhole).
            if (pendingPeers(plan, node, rows).length === 0) {
              routes = await kernelBirdRoutes(node);
              if (routes.length >= peers + 1) break;
            }
            if (Date.now() > deadline) {
              const pending = pendingPeers(plan, node, rows);
              const states = rows.filter((r) => r.proto === 'BGP').map((r) => `${r.name} ${r.state} ${r.info}`.trim());
              emit({ type: 'phase', phase: 'bgp', node: node.name, state: 'failed', detail: pending.join(', ') });
              throw new MachineError(
                `BGP on ${node.name} did not converge within ${MESH_TIMEOUT_MS / 1000} s: ` +
                  (pending.length ? `not Established: ${states.join('; ') || 'BIRD does not answer'}` : `only ${routes.length} routes from BIRD in the kernel`),
                `BIRD's log: ${files.log}`,
              );
            }
            await sleep(POLL_MS);
          }
          emit({ type: 'phase', phase: 'bgp', node: node.name, state: 'done', detail: `${peers} peers Established, ${routes.length} routes` });
        }),
      );
    },
  };
}
