// A lab's nodes, hosts, pods and API reached from the test itself, for tests
// that use a lab rather than test hoplab's CLI: each `hoplab ssh` or `hoplab
// kubectl` started the CLI (0.3 s of CPU) around the command. These run what
// those commands run: the provider's run (ip netns exec into a node or host,
// the exec API for a pod) and the same kubectl with the lab's kubeconfig.
import { kubectlProgram, run } from '../../src/core/exec.js';
import { createNetnsProvider } from '../../src/providers/netns/provider.js';
import { KUBE_VERSION } from '../../src/providers/netns/kube-version.js';
import { labPaths, readLabRecord } from '../../src/providers/netns/state.js';
import { parseTarget } from '../../src/cli/commands/ssh.js';
import type { CliResult } from './cli.js';

/** `hoplab ssh TARGET -- ARGV` of lab `lab`, without the CLI; TARGET read as ssh reads it, the nodes from the lab's plan. */
export function inLab(lab: string): (where: string, argv: string[], timeoutMs?: number) => Promise<CliResult> {
  const provider = createNetnsProvider(lab);
  const nodes = async () => (await readLabRecord(lab))?.plan.nodes.map((n) => n.name) ?? [];
  return async (where, argv, timeoutMs = 60_000) => {
    const r = await provider.run(await parseTarget(where, nodes), argv, { timeoutMs });
    return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
  };
}

/** `hoplab kubectl ARGS` of lab `lab`, without the CLI. */
export function labKubectl(lab: string): (...args: string[]) => Promise<CliResult> {
  return async (...args) => {
    const r = await run([kubectlProgram(KUBE_VERSION), ...args], { env: { KUBECONFIG: labPaths(lab).kubeconfig }, timeoutMs: 60_000 });
    return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
  };
}
