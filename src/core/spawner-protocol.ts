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
}

export type SpawnReply =
  | { id: number; /** Absent when it never ran or was stopped (why). */ exitCode?: number; why?: string; stdout: string; stderr: string }
  | { id: number; pid: number }
  | { id: number; exit: { code: number | null; signal: NodeJS.Signals | null } }
  | { id: number; error: string };
