import { describe, expect, it } from "vitest";
import type { CliIo } from "../../../src/cli/io.js";
import { runCli } from "../../../src/cli/main.js";

function io() {
  const out = { stdout: "", stderr: "" };
  const cli: CliIo = {
    stdout: (t) => {
      out.stdout += t;
    },
    stderr: (t) => {
      out.stderr += t;
    },
    readStdin: async () => "",
    env: {},
    stopSignal: new Promise(() => {}),
  };
  return { out, cli };
}

describe("attest (the CLI's entry point)", () => {
  it.each(["check", "explain", "digest", "kusto", "policy", "token"])(
    "`%s --help` prints its usage, exit 0",
    async (name) => {
      const { out, cli } = io();
      expect(await runCli([name, "--help"], cli)).toBe(0);
      expect(out.stdout).toMatch(new RegExp(`^usage: attest ${name} `));
      expect(out.stderr).toBe("");
    },
  );

  it("help lists every command; no command is bad input", async () => {
    const help = io();
    expect(await runCli(["help"], help.cli)).toBe(0);
    for (const name of ["check", "explain", "digest", "kusto", "policy", "token"])
      expect(help.out.stdout).toContain(`  ${name} `);
    const none = io();
    expect(await runCli([], none.cli)).toBe(2);
  });

  it("an unknown command names the ones there are, exit 2", async () => {
    const { out, cli } = io();
    expect(await runCli(["frobnicate"], cli)).toBe(2);
    expect(out.stderr).toContain(
      "unknown command 'frobnicate'. Expected one of: check, explain, digest, kusto, policy, escalate, stats, token.",
    );
  });
});
