// How one container is set up, as a container runtime does it: its own mount,
// PID, UTS and IPC namespaces inside the pod's network namespace, a root
// filesystem that is an overlay of the image's read-only layers and a
// writable layer of its own, /proc, /sys and a small /dev of its own, the
// files kubelet writes (/etc/hosts, /etc/resolv.conf, /etc/hostname) bind-mounted
// in, then pivot_root, so nothing of the machine's filesystem is left in reach.
// The container's command becomes PID 1 of its PID namespace.
import { constants } from 'node:os';
import { inNs } from './namespaces.js';

export interface Mount {
  /** A path on the machine (a directory or a file). */
  source: string;
  /** Where it appears inside the container. */
  target: string;
  readOnly: boolean;
}

export interface ContainerSandbox {
  /** Image layers, topmost first (overlayfs lowerdir order). */
  layers: string[];
  /** The container's writable layer and overlayfs' work directory (same filesystem). */
  upper: string;
  work: string;
  /** The empty directory the root filesystem is assembled on (in the container's own mount namespace only). */
  rootfs: string;
  hostname: string;
  /** Directory holding kubelet's hosts, resolv.conf and hostname for the pod. */
  etcDir: string;
  /** /dev's device nodes (null, zero, full, random, urandom, tty), links (fd, stdin, ptmx, ...) and mount points (pts, shm): see writeDevTemplate. */
  devTemplate: string;
  mounts: Mount[];
  /** The container's environment (NAME=value) and argv, run with `env -i` inside the new root. */
  env: string[];
  argv: string[];
  workingDir?: string;
  /** spec.hostPID / spec.hostIPC: the node's PID or IPC namespace instead of one of its own (its processes in `ps`, no PID 1 of its own). */
  hostPID?: boolean;
  hostIPC?: boolean;
  /** The network namespace (its name under /run/netns) the container runs in. */
  netns: string;
  /** The native starter (init-helper.ts), when there is one: the same steps in one process. */
  init?: string;
}

// Without the native starter (native/hoplab-init.c, which does the same with
// system calls), the launcher runs as the new namespaces' PID 1 with the machine's /bin/sh
// and, after pivot_root, replaces itself with the container's command. Its
// inputs come as environment variables so no argument needs quoting. Every
// line that runs a program is a fork and an exec, which a thousand pods pay a
// thousand times: /dev's nodes and links are copied from a template
// (devTemplate) in one `cp`, and directories made in one `mkdir`.
const LAUNCHER = `set -e
R=$HL_ROOT
mount -t overlay overlay -o "lowerdir=$HL_LOWER,upperdir=$HL_UPPER,workdir=$HL_WORK" "$R"
mkdir -p "$R/proc" "$R/sys" "$R/dev" "$R/etc" "$R/tmp" "$R/.oldroot"
mount -t proc -o nosuid,nodev,noexec proc "$R/proc"
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$R/sys"
mount -t tmpfs -o nosuid,mode=755,size=256k tmpfs "$R/dev"
cp -a "$HL_DEV/." "$R/dev/"
mount -t devpts -o newinstance,ptmxmode=0666,mode=620,nosuid,noexec devpts "$R/dev/pts"
mount -t tmpfs -o nosuid,nodev,noexec,size=64m shm "$R/dev/shm"
for f in hosts resolv.conf hostname; do
  [ -L "$R/etc/$f" ] && rm -f "$R/etc/$f"
  [ -e "$R/etc/$f" ] || : > "$R/etc/$f"
  mount --bind "$HL_ETC/$f" "$R/etc/$f"
done
printf '%s\\n' "$HL_MOUNTS" | while IFS='	' read -r src dst ro; do
  [ -n "$src" ] || continue
  if [ -d "$src" ]; then mkdir -p "$R$dst"; else mkdir -p "$(dirname "$R$dst")"; [ -e "$R$dst" ] || : > "$R$dst"; fi
  # One mount(8) call binds and makes it read-only (util-linux >= 2.27).
  if [ "$ro" = ro ]; then mount --bind -o ro,nosuid,nodev "$src" "$R$dst"; else mount --bind "$src" "$R$dst"; fi
done
hostname "$HL_HOSTNAME"
cd "$R"
pivot_root . .oldroot
cd /
umount -l /.oldroot
rmdir /.oldroot
cd "$HL_WORKDIR" 2>/dev/null || cd /
unset HL_ROOT HL_LOWER HL_UPPER HL_WORK HL_DEV HL_ETC HL_MOUNTS HL_HOSTNAME HL_WORKDIR
exec env -i "$@"
`;

/** argv (run from the machine's namespaces) and environment that start the container; its process group holds the whole container. */
export function sandboxArgv(s: ContainerSandbox): { argv: string[]; env: Record<string, string> } {
  for (const m of s.mounts) {
    if (/[\t\n]/.test(m.source + m.target)) throw new Error(`mount path with a tab or newline: ${m.target}`);
  }
  const env = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HL_ROOT: s.rootfs,
    HL_LOWER: s.layers.join(':'),
    HL_UPPER: s.upper,
    HL_WORK: s.work,
    HL_DEV: s.devTemplate,
    HL_ETC: s.etcDir,
    HL_MOUNTS: s.mounts.map((m) => `${m.source}\t${m.target}\t${m.readOnly ? 'ro' : 'rw'}`).join('\n'),
    HL_HOSTNAME: s.hostname,
    HL_WORKDIR: s.workingDir ?? '/',
  };
  if (s.init) {
    // The namespace's path in argv, not only the environment: `down` finds a starter still at work on the lab by its argv.
    return {
      argv: [s.init, `/run/netns/${s.netns}`, String(s.env.length), ...s.env, ...s.argv],
      env: { ...env, HL_NEWPID: s.hostPID ? '0' : '1', HL_NEWIPC: s.hostIPC ? '0' : '1' },
    };
  }
  return {
    argv: inNs(s.netns, [
      'unshare', '--uts', ...(s.hostIPC ? [] : ['--ipc']), '--mount', ...(s.hostPID ? [] : ['--pid']), '--fork', '--kill-child', '--propagation', 'private',
      '--', '/bin/sh', '-c', LAUNCHER, 'hoplab-init', ...s.env, ...s.argv,
    ]),
    env,
  };
}

/**
 * argv that runs `inner` inside a running container: its network, UTS, IPC,
 * mount (so its root filesystem) and PID namespaces. `pid` is the launcher's
 * process (unshare), whose children live in the container's PID namespace.
 */
export function enterArgv(pid: number, inner: string[]): string[] {
  return ['nsenter', '-t', String(pid), '-n', '-u', '-i', '-m', `--pid=/proc/${pid}/ns/pid_for_children`, '--', ...inner];
}

/** The exit code kubelet reports for a process that ended by `signal`: 128 + its number. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal ? constants.signals[signal] : undefined;
  return 128 + (n ?? 9);
}
