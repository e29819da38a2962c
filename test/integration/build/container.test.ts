/**
 * The container image's conventions, read from infra/container/Dockerfile (there is no Docker
 * engine here), and its start and health-check commands run against a production build laid out
 * as the image is.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BUILD_TIMEOUT_MS,
  type Built,
  buildToTemp,
  PROCESS_TIMEOUT_MS,
  REPO,
  runNode,
  startNodeServer,
} from "./built.js";
import { envOf, execForm, readDockerfile } from "./dockerfile.js";

const stages = readDockerfile(join(REPO, "infra/container/Dockerfile"));
const final = stages.at(-1)!;
const all = (keyword: string) => final.instructions.filter((i) => i.keyword === keyword);
const one = (keyword: string) => {
  const found = all(keyword);
  expect(found, `one ${keyword} in the final stage`).toHaveLength(1);
  return found[0]!.args;
};

describe("infra/container/Dockerfile", () => {
  it(
    "is multi-stage: a build stage compiles, a stage installs production dependencies only",
    () => {
      expect(stages.length).toBeGreaterThanOrEqual(2);
      const build = stages.find((s) => s.instructions.some((i) => /npm run build/.test(i.args)));
      expect(build, "a stage runs npm run build").toBeDefined();
      const prodDeps = stages.find((s) => s.instructions.some((i) => /npm ci\b.*--omit=dev/.test(i.args)));
      expect(prodDeps, "a stage runs npm ci --omit=dev").toBeDefined();
      const copies = all("COPY").map((c) => c.args);
      expect(copies).toContainEqual(expect.stringMatching(new RegExp(`--from=${build!.name} \\S*dist`)));
      expect(copies).toContainEqual(
        expect.stringMatching(new RegExp(`--from=${prodDeps!.name} \\S*node_modules`)),
      );
      // No dev dependencies, and no npm ci without --omit=dev, in the final stage.
      expect(
        final.instructions.filter((i) => i.keyword === "RUN" && /npm (ci|install)/.test(i.args)),
      ).toEqual([]);
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    "runs as a non-root user with a writable data volume and a health check",
    () => {
      const user = one("USER");
      expect(user).not.toMatch(/^(root|0)(:|$)/);
      const env = envOf(final);
      expect(env.NODE_ENV).toBe("production");
      const dataDir = env.ATTEST_DATA_DIR;
      expect(dataDir, "ATTEST_DATA_DIR is set").toBeDefined();
      expect(
        all("VOLUME")
          .map((v) => v.args)
          .join(" "),
      ).toContain(dataDir!);
      const chown = final.instructions.find((i) => i.keyword === "RUN" && i.args.includes(`chown ${user}`));
      expect(chown?.args, "the data directory belongs to the user").toContain(dataDir!);
      expect(one("HEALTHCHECK")).toMatch(/\/healthz/);
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    "starts with plain node on the compiled code (no tsx, no npm)",
    () => {
      const cmd = execForm(one("CMD"));
      expect(cmd[0]).toBe("node");
      expect(cmd.at(-1)).toBe("dist/main.js");
      expect(cmd.join(" ")).not.toMatch(/tsx|npm|npx/);
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    ".dockerignore keeps node_modules, dist, local data and the git history out of the context",
    () => {
      const ignored = readFileSync(join(REPO, ".dockerignore"), "utf8")
        .split("\n")
        .map((l) => l.trim());
      for (const entry of ["**/node_modules", "dist", "data", ".git"]) expect(ignored).toContain(entry);
    },
    PROCESS_TIMEOUT_MS,
  );
});

describe("the image's start command, run here", () => {
  let built: Built;
  beforeAll(() => {
    built = buildToTemp();
  }, BUILD_TIMEOUT_MS);
  afterAll(() => built?.remove());

  it(
    "starts with the image's environment and passes the image's health check",
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "attest-image-data-"));
      const cmd = execForm(one("CMD"));
      // The image's env, with the port and the data volume moved to what this machine allows.
      const env = { ...envOf(final), PORT: "0", ATTEST_DATA_DIR: dataDir };
      const bot = await startNodeServer(cmd.slice(1), built.dir, env);
      try {
        const ready = await fetch(`${bot.url}/readyz`);
        expect(ready.status).toBe(200);
        expect(JSON.stringify(await ready.json())).toContain(dataDir);
        const health = one("HEALTHCHECK").replace(/^.*?CMD\s+/, "");
        const probe = execForm(health);
        expect(probe[0]).toBe("node");
        const port = new URL(bot.url).port;
        const r = await runNode(probe.slice(1), built.dir, { PORT: port });
        expect(r.code, r.stderr).toBe(0);
      } finally {
        await bot.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    PROCESS_TIMEOUT_MS,
  );
});
