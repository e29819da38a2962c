#!/usr/bin/env node
/** The `attest` command: `npm run -s attest -- <command> ...`. */
import { pathToFileURL } from "node:url";
import { type CliCommand, type CliIo, EXIT } from "./io.js";

/** Each command lives in its own module, loaded only when used. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  check: {
    summary:
      "check <server> [--database NAME] [--url URL] [--since 3h] [--now ISO] [--data FILE] [--format text|json]",
    load: async () => (await import("./commands/check.js")).default,
  },
  explain: {
    summary: "explain [--format text|json]          (pasted error text on stdin)",
    load: async () => (await import("./commands/explain.js")).default,
  },
  digest: {
    summary: "digest [--servers a,b] [--since 24h] [--now ISO] [--data FILE] [--format text|json] [--top N]",
    load: async () => (await import("./commands/digest.js")).default,
  },
  kusto: {
    summary: 'kusto serve [--port N] [--data FILE] [--log] | kusto query "<KQL>" [--data FILE] [--param n=v]',
    load: async () => (await import("./commands/kusto.js")).default,
  },
  policy: {
    summary: "policy [--svn N] [--format text|json]  (attestation policy on stdin)",
    load: async () => (await import("./commands/policy.js")).default,
  },
  escalate: {
    summary:
      "escalate <server> [--since 3h] [--now ISO] [--data FILE] [--format text|json]  (incident text for the owner)",
    load: async () => (await import("./commands/escalate.js")).default,
  },
  stats: {
    summary: "stats [--format text|json]             (how often each rule's mitigation fixed it)",
    load: async () => (await import("./commands/stats.js")).default,
  },
  token: {
    summary:
      "token [--jwks FILE|URL] [--now ISO] [--issuer URL] [--svn N] [--format text|json]  (attestation token on stdin)",
    load: async () => (await import("./commands/token.js")).default,
  },
};

export function usage(): string {
  return [
    "usage: attest <command> [options]",
    "",
    ...Object.values(COMMANDS).map((c) => `  ${c.summary}`),
    "",
  ].join("\n");
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    io.stdout(usage());
    return name ? EXIT.ok : EXIT.badInput;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(
      `attest: unknown command '${name}'. Expected one of: ${Object.keys(COMMANDS).join(", ")}.\n\n${usage()}`,
    );
    return EXIT.badInput;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(`usage: attest ${command.summary}\n`);
    return EXIT.ok;
  }
  return (await command.load())(rest, io);
}

/**
 * All of standard input as UTF-8 ("" on a terminal). Read as a stream: `readFileSync(0)` fails
 * with EAGAIN on a pipe whose writer has not finished yet (`curl … | attest policy`).
 */
async function readStream(stdin: NodeJS.ReadStream): Promise<string> {
  if (stdin.isTTY) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

function processIo(): CliIo {
  // Signal handlers only for commands that wait for one (kusto serve): elsewhere Ctrl-C must stop at once.
  let stopSignal: Promise<void> | undefined;
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: () => readStream(process.stdin),
    env: process.env,
    get stopSignal() {
      stopSignal ??= new Promise<void>((resolve) => {
        process.once("SIGINT", () => resolve());
        process.once("SIGTERM", () => resolve());
      });
      return stopSignal;
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCli(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`attest: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = EXIT.error;
    },
  );
}
