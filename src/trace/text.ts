// Turning pasted text into lines the format parsers can read: line endings
// from any OS, terminal colour codes, non-breaking spaces from web pages, and
// the shell prompt lines people paste along with the output.
import ipaddr from 'ipaddr.js';

export interface Line {
  /** 1-based, as an editor shows it. */
  no: number;
  text: string;
}

// CSI sequences (colours, cursor moves) and OSC titles a terminal copy can carry.
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export function toLines(text: string): Line[] {
  const clean = text.replace(/^\uFEFF/, '').replace(ANSI, '').replace(/[\u00a0\u2007\u202f]/g, ' ').replace(/\t/g, '    ');
  return clean.split(/\r\n|\r|\n/).map((t, i) => ({ no: i + 1, text: t.replace(/\s+$/, '') }));
}

export function isIPv4(s: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(s);
}

/** `(10.244.1.3)` → `10.244.1.3`; anything else → undefined. */
export function parenAddress(token: string): string | undefined {
  const m = /^\(([^()]+)\),?$/.exec(token);
  return m && isIPv4(m[1]!) ? m[1] : undefined;
}

export function quote(text: string, max = 60): string {
  const t = text.trim();
  return JSON.stringify(t.length > max ? `${t.slice(0, max - 1)}…` : t);
}

export interface PromptLine {
  command: string;
  /** The command runs a trace tool (traceroute, tracepath, mtr, also through kubectl/busybox). */
  isTrace: boolean;
  /** The last IPv4 address on a trace command line: the destination, for tools that do not print it. */
  destination?: string;
}

// `$ cmd`, `# cmd`, `[vagrant@node-1 ~]$ cmd`, `root@node-1:~# cmd`, `node-1% cmd`, `PS C:\> cmd`.
const PROMPT = /^\s*(?:PS [^>]*>|\[[^\]]*\][$#]|[\w.-]+@[\w.-]+(?::[^\s$#]*)?[$#%]|[A-Za-z][\w.-]*[$#%]|[$#%])(?:\s+(.*))?$/;
const TRACE_TOOL = /(?:^|[\s/])(?:traceroute|tracepath|mtr|tracert)(?:\s|$)/;

/** A shell prompt line, or undefined. A `#` comment also counts: both are not trace output. */
export function readPrompt(text: string): PromptLine | undefined {
  const m = PROMPT.exec(text);
  if (!m) return undefined;
  const command = (m[1] ?? '').trim();
  const isTrace = TRACE_TOOL.test(command);
  const addrs = isTrace ? command.split(/\s+/).filter(isIPv4) : [];
  return { command, isTrace, destination: addrs.at(-1) };
}

/** Annotations GNU and busybox traceroute print after a probe time (`!H`, `!F-1500`, `!<10>`). */
export function isAnnotation(token: string): boolean {
  return /^!(?:[A-Z](?:-\d+)?|<\d+>|\d+)?$/.test(token);
}

export function isHostname(token: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(token) && !/^\d+(?:\.\d+)?$/.test(token) && token !== 'ms';
}
