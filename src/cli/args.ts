/** Shared argument handling for CLI commands: node's parseArgs plus zod field validation. */
import { parseArgs } from "node:util";
import { durationSchema, InputError, isoInstantSchema, parseField } from "../domain/command/fields.js";

type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string }>;

/** Parses argv; unknown options and missing values become InputError with the expected form. */
export function parseCliArgs<T extends OptionSpec>(argv: readonly string[], options: T, usage: string) {
  try {
    return parseArgs({
      args: attachDashValues(argv, options),
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new InputError("arguments", argv.join(" "), `${usage} (${message.replace(/\.$/, "")})`);
  }
}

/**
 * `--since -1h` reads as `--since=-1h`, so a value that starts with a dash reaches the field's own
 * validation (which says what is expected) instead of node's "argument is ambiguous".
 */
function attachDashValues(argv: readonly string[], options: OptionSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    const name = arg.startsWith("--") ? arg.slice(2) : null;
    if (
      name !== null &&
      options[name]?.type === "string" &&
      next?.startsWith("-") &&
      !(next.startsWith("--") && (next.slice(2).split("=")[0] as string) in options)
    ) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** `--format text|json`. */
export function parseFormat(value: string | undefined): "text" | "json" {
  if (value === undefined || value === "text") return "text";
  if (value === "json") return "json";
  throw new InputError("--format", value, "text or json");
}

/** The options every command that runs a check takes: `--since`, `--now`, `--data`, `--format`. */
export const CHECK_RUN_OPTIONS = {
  since: { type: "string" },
  now: { type: "string" },
  data: { type: "string" },
  format: { type: "string" },
} as const satisfies OptionSpec;

/** Those options, validated (a bad value is an InputError naming the option and what it expects). */
export function checkRunOptions(values: {
  readonly since?: string | undefined;
  readonly now?: string | undefined;
  readonly data?: string | undefined;
  readonly format?: string | undefined;
}): { sinceMs: number | null; now: number | null; data: string | null; format: "text" | "json" } {
  return {
    sinceMs: values.since === undefined ? null : parseField(durationSchema, "--since", values.since),
    now: values.now === undefined ? null : parseField(isoInstantSchema, "--now", values.now),
    data: values.data ?? null,
    format: parseFormat(values.format),
  };
}
