/** Golden files under test/golden/slack: compared as JSON; written only with UPDATE_GOLDEN=1. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../golden/slack");

/** The stored golden value for `name`, after writing `actual` to it when UPDATE_GOLDEN=1. */
export function golden(name: string, actual: unknown): unknown {
  const file = join(GOLDEN_DIR, `${name}.json`);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
  }
  if (!existsSync(file)) throw new Error(`no golden file ${file}; run with UPDATE_GOLDEN=1 to create it`);
  return JSON.parse(readFileSync(file, "utf8"));
}
