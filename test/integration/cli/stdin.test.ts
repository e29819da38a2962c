/**
 * The CLI reads stdin as a stream: a pipe whose writer is slow (`curl … | attest policy`) must not
 * fail with EAGAIN. Runs the real CLI as a child process and writes its input late, in pieces.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const TSX = "node_modules/tsx/dist/cli.mjs";

function runWithSlowStdin(
  args: string[],
  input: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, "src/cli/main.ts", ...args], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString("utf8");
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    const half = Math.floor(input.length / 2);
    // First half late, second half later still, then end: the reader must wait for all of it.
    setTimeout(() => child.stdin.write(input.slice(0, half)), 700);
    setTimeout(() => child.stdin.end(input.slice(half)), 1200);
  });
}

describe("stdin from a slow pipe", () => {
  it("policy reads the whole policy", async () => {
    const policy = readFileSync("test/fixtures/policies/sample-svn0.txt", "utf8");
    const r = await runWithSlowStdin(["policy", "--format", "json"], policy);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, permits: true });
  });

  it("explain reads a pasted error", async () => {
    const r = await runWithSlowStdin(
      ["explain", "--format", "json"],
      "Msg 37324, Level 16, State 57, Line 1\nEnclave attestation failed. Return code: '0x00000193'.\n",
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings[0].rule).toBe("rbac-attestation-reader-missing");
  });
});
