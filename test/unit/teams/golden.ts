/** Golden-file comparison: `UPDATE_GOLDEN=1` rewrites the files, otherwise they must match. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../golden/teams");

/** Returns the stored text (after writing it when UPDATE_GOLDEN=1); null when there is none. */
export function golden(name: string, actual: unknown): { expected: string | null; actual: string } {
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  const file = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return { expected: existsSync(file) ? readFileSync(file, "utf8") : null, actual: text };
}
