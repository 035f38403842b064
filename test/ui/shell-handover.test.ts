// The shell hand-over on a real pseudo-terminal: keys go to the child, its
// output to the terminal and to a transcript, its exit status comes back.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { handOver, transcriptText } from '../../src/ui/shell-handover.js';

function io() {
  const stdin = new PassThrough() as unknown as NodeJS.ReadStream;
  const out = new PassThrough();
  let shown = '';
  out.on('data', (d: Buffer) => (shown += d.toString()));
  const stdout = Object.assign(out, { columns: 80, rows: 24 }) as unknown as NodeJS.WriteStream;
  return { stdin, stdout, shown: () => shown };
}

describe('handOver', () => {
  it('forwards keys to the child, shows and keeps its output, returns its exit status', async () => {
    const t = io();
    const done = handOver({ file: 'sh', args: ['-c', 'read x; echo "got:$x"; exit 3'], env: { TERM: 'dumb' } }, t, { banner: 'a shell on node-1' });
    setTimeout(() => t.stdin.write('abc\r'), 200);
    const r = await done;
    expect(r.exitCode).toBe(3);
    expect(r.transcript).toContain('got:abc');
    expect(t.shown()).toContain('a shell on node-1');
    expect(t.shown()).toContain('got:abc');
  });
  it('a program that cannot start is an exit status and a reason, not a crash', async () => {
    const r = await handOver({ file: '/nonexistent/shell', args: [], env: {} }, io());
    expect(r.exitCode).not.toBe(0);
  });
  it('transcripts drop escapes and keep lines', async () => {
    expect(await transcriptText('\x1b[1m[root@node-1 /]#\x1b[0m ip r\r\ndefault via 10.0.2.2\r\n')).toBe('[root@node-1 /]# ip r\ndefault via 10.0.2.2\n');
  });

  // Issue 18 item 17: readline's history recall redraws the line with
  // backspaces and erase-line; concatenating the bytes ran two commands together.
  const recall =
    '$ kubectl delete pod traceroute\r\npod "traceroute" deleted\r\n$ ' +
    'kubectl delete pod traceroute' + // ↑ recalls the last command
    '\b'.repeat(29) + 'kubectl run traceroute --image=busybox --restart=Never -- traceroute -n 10.244.1.3' + '\x1b[K' + // ↑ again: an older one
    '\r\npod/traceroute created\r\n$ exit\r\n';

  it('history recall ends as the command the shell ran, not the keystrokes run together', async () => {
    const text = await transcriptText(recall, 80);
    expect(text).not.toContain('tracerouterun');
    expect(text.split('\n')).toEqual([
      '$ kubectl delete pod traceroute',
      'pod "traceroute" deleted',
      '$ kubectl run traceroute --image=busybox --restart=Never -- traceroute -n 10.244.1.3',
      'pod/traceroute created',
      '$ exit',
      '',
    ]);
  });

  it('a session on a real pty comes back as the lines it showed', async () => {
    const t = io();
    const r = await handOver({ file: process.execPath, args: ['-e', `process.stdout.write(${JSON.stringify(recall)})`], env: { TERM: 'dumb' } }, t);
    expect(r.transcript).toContain('$ kubectl run traceroute --image=busybox --restart=Never -- traceroute -n 10.244.1.3\n');
    expect(r.transcript).not.toContain('tracerouterun');
  });
});
