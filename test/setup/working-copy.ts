/**
 * Tests never write to the working copy: `./data` (the bot's default digest store) and the other
 * run-time paths are fingerprinted before the run and compared after it. A test that starts the bot
 * without a temporary `ATTEST_DATA_DIR` would write (and read a developer's subscriptions from)
 * `./data`; the run then fails naming what changed.
 */
import { lstatSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";

/** Paths under the repository that only a running bot or a build writes. */
export const GUARDED_PATHS = ["data"] as const;

/** Every file and directory under `paths` (relative to `root`) with its size and mtime; absent = "". */
export function fingerprint(root: string, paths: readonly string[] = GUARDED_PATHS): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (abs: string) => {
    let stat: ReturnType<typeof lstatSync>;
    try {
      stat = lstatSync(abs);
    } catch {
      return;
    }
    const rel = relative(root, abs);
    out.set(rel, stat.isDirectory() ? "dir" : `${stat.size}:${stat.mtimeMs}`);
    if (stat.isDirectory()) for (const name of readdirSync(abs)) walk(join(abs, name));
  };
  for (const p of paths) walk(join(root, p));
  return out;
}

/** What differs between two fingerprints, one line per path ("created", "removed", "changed"). */
export function differences(before: Map<string, string>, after: Map<string, string>): string[] {
  const lines: string[] = [];
  for (const [path, value] of after) {
    if (!before.has(path)) lines.push(`created ${path}`);
    else if (before.get(path) !== value) lines.push(`changed ${path}`);
  }
  for (const path of before.keys()) if (!after.has(path)) lines.push(`removed ${path}`);
  return lines;
}
