/** What a CLI command may touch: passed in, so commands run in tests without a process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads all of standard input (UTF-8). */
  readonly readStdin: () => Promise<string>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); long-running commands await it. */
  readonly stopSignal: Promise<void>;
}

/** Exit codes shared by every command. */
export const EXIT = {
  ok: 0,
  /** Unexpected failure. */
  error: 1,
  /** Bad input: a message names the field, what was given and what is expected. */
  badInput: 2,
  /** Kusto could not be reached or failed. */
  kustoUnavailable: 3,
} as const;

export type CliCommand = (argv: readonly string[], io: CliIo) => Promise<number>;
