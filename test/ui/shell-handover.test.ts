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
  it('transcripts drop escapes and keep lines', () => {
    expect(transcriptText('\x1b[1m[root@node-1 /]#\x1b[0m ip r\r\ndefault via 10.0.2.2\r\n')).toBe('[root@node-1 /]# ip r\ndefault via 10.0.2.2\n');
  });
});
