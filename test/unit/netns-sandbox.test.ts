// The pure parts of a container's sandbox: the exit code of a signalled
// process, which layers an image is made of, and the launcher's inputs.
import { describe, expect, it } from 'vitest';
import { exitCodeOf, enterArgv, sandboxArgv } from '../../src/providers/netns/sandbox.js';
import { imageLayers, isStaticElf } from '../../src/providers/netns/images.js';

describe('container exit codes', () => {
  it('is the process exit code when it exited', () => {
    expect(exitCodeOf(0, null)).toBe(0);
    expect(exitCodeOf(3, null)).toBe(3);
  });
  it('is 128 + the signal when a signal ended it, as kubelet reports', () => {
    expect(exitCodeOf(null, 'SIGSEGV')).toBe(139);
    expect(exitCodeOf(null, 'SIGTERM')).toBe(143);
    expect(exitCodeOf(null, 'SIGKILL')).toBe(137);
    expect(exitCodeOf(null, 'SIGINT')).toBe(130);
  });
});

describe('image layers', () => {
  it('stacks the image over the busybox base, with none of the machine when busybox is static', () => {
    expect(imageLayers('/i', 'httpd', true)).toEqual({ layers: ['/i/httpd', '/i/_base'], hostDirs: [] });
  });
  it('mounts the machine\'s programs read-only into tool images, and CoreDNS\'s records as a live directory', () => {
    const dns = imageLayers('/i', 'coredns/coredns', true);
    expect(dns.layers).toEqual(['/i/coredns/coredns', '/i/_host-bin', '/i/_host-usr', '/i/_base']);
    expect(dns.hostDirs).toContainEqual({ source: '/usr/bin', target: '/usr/bin' });
    expect(dns.hostDirs).toContainEqual({ source: '/i/coredns/coredns/etc/coredns/hosts.d', target: '/etc/coredns/hosts.d' });
    expect(dns.hostDirs.map((d) => d.target)).not.toContain('/usr');
  });
  it('tells a static program from a dynamic one', async () => {
    expect(await isStaticElf(process.execPath)).toBe(false);
    expect(await isStaticElf('/nonexistent')).toBe(false);
    expect(await isStaticElf('/etc/passwd')).toBe(false);
  });
});

describe('the launcher', () => {
  const box = {
    layers: ['/l/top', '/l/base'], upper: '/c/upper', work: '/c/work', rootfs: '/c/rootfs', hostname: 'web',
    etcDir: '/p/etc', devTemplate: '/i/_dev', mounts: [{ source: '/usr/bin', target: '/usr/bin', readOnly: true }], env: ['PATH=/bin'], argv: ['sleep', '1'], netns: 'hoplab-t-pod',
  };
  it('makes new UTS, IPC, mount and PID namespaces, the command as PID 1, and passes paths outside argv', () => {
    const { argv, env } = sandboxArgv(box);
    expect(argv.slice(0, 4)).toEqual(['ip', 'netns', 'exec', 'hoplab-t-pod']);
    expect(argv.slice(4, 10)).toEqual(['unshare', '--uts', '--ipc', '--mount', '--pid', '--fork']);
    expect(argv.slice(-3)).toEqual(['PATH=/bin', 'sleep', '1']);
    expect(env.HL_LOWER).toBe('/l/top:/l/base');
    expect(env.HL_MOUNTS).toBe('/usr/bin\t/usr/bin\tro');
    expect(env.HL_HOSTNAME).toBe('web');
  });
  it('shares the node\'s PID and IPC namespaces for hostPID and hostIPC pods, as a node debug pod asks', () => {
    expect(sandboxArgv({ ...box, hostPID: true }).argv.slice(4, 9)).toEqual(['unshare', '--uts', '--ipc', '--mount', '--fork']);
    expect(sandboxArgv({ ...box, hostIPC: true }).argv.slice(4, 9)).toEqual(['unshare', '--uts', '--mount', '--pid', '--fork']);
  });
  it('starts through the native starter when there is one: the namespace, how many words are the environment, then the command', () => {
    const { argv, env } = sandboxArgv({ ...box, env: ['PATH=/bin', 'A=1'], init: '/cache/hoplab-init-x' });
    expect(argv).toEqual(['/cache/hoplab-init-x', '/run/netns/hoplab-t-pod', '2', 'PATH=/bin', 'A=1', 'sleep', '1']);
    expect(env).toMatchObject({ HL_NEWPID: '1', HL_NEWIPC: '1', HL_ROOT: '/c/rootfs', HL_MOUNTS: '/usr/bin\t/usr/bin\tro' });
    expect(sandboxArgv({ ...box, init: '/i', hostPID: true, hostIPC: true }).env).toMatchObject({ HL_NEWPID: '0', HL_NEWIPC: '0' });
  });
  it('refuses a mount path that would break its line format', () => {
    expect(() => sandboxArgv({ ...box, mounts: [{ source: '/a\tb', target: '/x', readOnly: true }] })).toThrow(/tab or newline/);
  });
  it('enters a container through the launcher\'s namespaces and its children\'s PID namespace', () => {
    expect(enterArgv(42, ['ps'])).toEqual(['nsenter', '-t', '42', '-n', '-u', '-i', '-m', '--pid=/proc/42/ns/pid_for_children', '--', 'ps']);
  });
});
