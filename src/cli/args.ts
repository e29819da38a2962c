/** Shared argument handling for CLI commands: node's parseArgs plus zod field validation. */
import { parseArgs } from "node:util";
import { InputError } from "../domain/command/fields.js";

type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string }>;

/** Parses argv; unknown options and missing values become InputError with the expected form. */
export function parseCliArgs<T extends OptionSpec>(argv: readonly string[], options: T, usage: string) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new InputError("arguments", argv.join(" "), `${usage} (${message.replace(/\.$/, "")})`);
  }
}

/** `--format text|json`. */
export function parseFormat(value: string | undefined): "text" | "json" {
  if (value === undefined || value === "text") return "text";
  if (value === "json") return "json";
  throw new InputError("--format", value, "text or json");
}
