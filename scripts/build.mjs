#!/usr/bin/env node
/**
 * `npm run build`: compiles src/ to dist/ (tsc -p tsconfig.build.json) after removing the previous
 * output, so a deleted source file leaves no stale module behind. dist/teams (the Teams app
 * package) is kept. With `--if-stale` (prestart, preattest) it builds only when a file under src/
 * or a tsconfig is newer than the last build: a no-op start costs a few milliseconds.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const dist = join(root, "dist");
const stamp = join(dist, ".build-stamp");

/** Newest modification time (ms) of the files under `path`. */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

const inputs = ["src", "tsconfig.json", "tsconfig.build.json", "package.json"].map((p) => join(root, p));
if (process.argv.includes("--if-stale") && existsSync(stamp)) {
  const built = statSync(stamp).mtimeMs;
  if (inputs.every((p) => newest(p) <= built)) process.exit(0);
}

if (existsSync(dist))
  for (const name of readdirSync(dist)) if (name !== "teams") rmSync(join(dist, name), { recursive: true });
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const result = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], {
  stdio: "inherit",
});
if (result.status !== 0) {
  process.stderr.write("attest-bot: the build failed (tsc -p tsconfig.build.json); see the errors above\n");
  process.exit(result.status ?? 1);
}
writeFileSync(stamp, `${new Date().toISOString()}\n`);
