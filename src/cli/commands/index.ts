// The command registry, in help order. Each command's module is loaded only
// when that command runs, so `hoplab kubectl ...` does not pay for Ink, zod or
// the lab loader.
import type { Command } from '../command.js';

export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<Command>;
}

export const COMMANDS: CommandEntry[] = [
  { name: 'ui', summary: 'the terminal UI: labs, bring-up, steps, checks, topology, shells (what `hoplab` alone opens)', load: async () => (await import('./ui.js')).ui },
  { name: 'up', summary: 'bring up the lab cluster (default: 3 nodes, flannel host-gw, in network namespaces)', load: async () => (await import('./up.js')).up },
  { name: 'status', summary: 'provider, CNI mode, nodes, hosts, pods and the kubeconfig path', load: async () => (await import('./status.js')).status },
  { name: 'labs', summary: 'list the labs (id, title, CNI modes, minutes), or --check lab files', load: async () => (await import('./labs.js')).labs },
  { name: 'run', summary: 'run a lab headless: every step with its solution, then its checks; exit 0 only if all pass', load: async () => (await import('./run.js')).run },
  { name: 'check', summary: 'grade one step from your own terminal session (pasted or piped): your traceroute, your ip route', load: async () => (await import('./check.js')).check },
  { name: 'check-trace', summary: 'grade a traceroute (from a file or stdin) against the path the packets must take', load: async () => (await import('./check-trace.js')).checkTrace },
  { name: 'present', summary: 'a full-screen projector view of a lab: commands typed out, checks, the path lit hop by hop; --auto, --record', load: async () => (await import('./present.js')).present },
  { name: 'topology', summary: "the lab's topology as text, SVG, Mermaid or DOT, with a path lit (for slides and handouts)", load: async () => (await import('./topology.js')).topology },
  { name: 'kubectl', summary: "the real kubectl, pointed at the lab's cluster (arguments pass through unchanged)", load: async () => (await import('./kubectl.js')).kubectl },
  { name: 'ssh', summary: 'a shell on a node (or a lab host, or pod/NAME), or one command there after --', load: async () => (await import('./ssh.js')).ssh },
  { name: 'shell', summary: "a shell on this machine with KUBECONFIG set to the lab's, to type the articles' commands as printed", load: async () => (await import('./shell.js')).shell },
  { name: 'join', summary: "join an instructor's classroom (--code, --as): the TUI and hoplab run report there; --leave forgets it", load: async () => (await import('./join.js')).join },
  { name: 'classroom', summary: 'the instructor: serve a classroom on the LAN, watch it (dashboard), status and export', load: async () => (await import('./classroom.js')).classroom },
  { name: 'fault', summary: 'break one thing in the lab\'s datapath (list, inject NAME or --random --seed N, clear): for troubleshooting', load: async () => (await import('./fault.js')).fault },
  { name: 'down', summary: 'remove everything the lab made (also after a crash)', load: async () => (await import('./down.js')).down },
  { name: 'vagrant', summary: 'vagrant prepare --out DIR: a bundle (box, images, manifests) for a room behind one NAT', load: async () => (await import('./vagrant.js')).vagrant },
  { name: 'reset', summary: 'go back to the snapshot taken right after provisioning (vagrant)', load: async () => (await import('./reset.js')).reset },
  { name: 'doctor', summary: 'list what the embedded lab needs from this machine, and install what is missing (root + apt)', load: async () => (await import('./doctor.js')).doctor },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}
