// What the spawner helper (spawner-main.ts) and its client (spawner.ts) say
// to each other, one JSON object per line.

export interface SpawnRequest {
  id: number;
  argv: string[];
  /** Added to the helper's environment, or all of it with replaceEnv. */
  env?: Record<string, string>;
  replaceEnv?: boolean;
  cwd?: string;
  input?: string;
  timeoutMs?: number;
  /** Start detached with stdout and stderr appended to this file, rather than run to the end. */
  logFile?: string;
  /** Stop the program of request `kill` (its caller gave up). */
  kill?: number;
  /** The native helper only: the CPU of the programs that ended since the last such request, by name. */
  stats?: true;
}

export type SpawnReply =
  | { id: number; /** Absent when it never ran or was stopped (why). */ exitCode?: number; why?: string; stdout: string; stderr: string }
  | { id: number; pid: number }
  | { id: number; exit: { code: number | null; signal: NodeJS.Signals | null } }
  | { id: number; error: string }
  | { id: number; stats: [name: string, count: number, userMs: number, sysMs: number][] };

/**
 * A request as the native helper (native/hoplab-spawner.c) reads it: a 4-byte
 * little-endian length, then NUL-terminated fields (kind, id, timeoutMs, cwd,
 * logFile, replaceEnv, argc, argv..., envc, NAME=value...) and the input's
 * bytes; a kill is its kind and the id of the request to stop. No JSON parser
 * in C, and the input goes through as it is.
 */
export function encodeNativeRequest(req: SpawnRequest): Buffer {
  const fields = req.stats
    ? ['stats', String(req.id)]
    : req.kill !== undefined
      ? ['kill', String(req.kill)]
      : [
          req.logFile !== undefined ? 'start' : 'run',
          String(req.id),
          String(req.timeoutMs ?? 0),
          req.cwd ?? '',
          req.logFile ?? '',
          req.replaceEnv ? '1' : '0',
          String(req.argv.length),
          ...req.argv,
          String(Object.keys(req.env ?? {}).length),
          ...Object.entries(req.env ?? {}).map(([k, v]) => `${k}=${v}`),
        ];
  for (const f of fields) if (f.includes('\0')) throw new Error(`a NUL byte in a program's argument or environment: ${JSON.stringify(f)}`);
  const input = req.kill === undefined && !req.stats ? (req.input ?? '') : '';
  const body = Buffer.concat([Buffer.from(fields.map((f) => `${f}\0`).join('')), Buffer.from(input)]);
  const head = Buffer.alloc(4);
  head.writeUInt32LE(body.length);
  return Buffer.concat([head, body]);
}
