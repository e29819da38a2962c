import { describe, expect, it } from "vitest";
import type { CliIo } from "../../../src/cli/io.js";
import { runCli } from "../../../src/cli/main.js";
import { COND, fixture, permitWhen, RECOMMENDED_CONDITIONS } from "./helpers.js";

async function run(argv: string[], stdin: string) {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readStdin: async () => stdin,
    env: {},
    stopSignal: new Promise(() => {}),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe("attest policy", () => {
  it("exit 0 and a clean verdict for the recommended policy", async () => {
    const r = await run(["policy"], permitWhen(RECOMMENDED_CONDITIONS));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("as strict as the recommended policy");
    expect(r.stdout).toContain("Permits the Azure SQL enclave (svn 2): yes");
  });

  it("--format json has exactly the documented fields", async () => {
    const r = await run(["policy", "--format", "json"], fixture("sample-svn0.txt"));
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(["valid", "errors", "permits", "failingCondition", "findings"]);
    expect(json).toMatchObject({ valid: true, errors: [], permits: true, failingCondition: null });
    expect(json.findings).toEqual([
      expect.objectContaining({
        severity: "warning",
        code: "svn-below-recommended",
        fix: expect.any(String),
      }),
    ]);
  });

  it("--svn moves the recommended minimum", async () => {
    expect((await run(["policy", "--svn", "0"], fixture("sample-svn0.txt"))).code).toBe(0);
    const r = await run(["policy", "--svn", "3", "--format", "json"], permitWhen(RECOMMENDED_CONDITIONS));
    expect(JSON.parse(r.stdout)).toMatchObject({
      permits: true,
      findings: [{ code: "svn-below-recommended" }],
    });
  });

  it("exit 1 with line and column for a policy that does not parse", async () => {
    const r = await run(["policy", "--format", "json"], fixture("missing-semicolon.txt"));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      valid: false,
      permits: null,
      errors: [
        { line: 2, column: 1, message: "mismatched input '[' expecting ';' (in policy > versionInfo)" },
      ],
    });
  });

  it("exit 1 naming the failing condition when the enclave is refused", async () => {
    const r = await run(["policy"], permitWhen([COND.debuggable, COND.svn(5)]));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Failing condition: [type=="x-ms-sgx-svn", value>=5]');
  });

  it.each([
    [["policy", "--svn", "two"], "x", "--svn"],
    [["policy", "--format", "xml"], "x", "--format"],
    [["policy", "extra"], "x", "no positional arguments"],
    [["policy", "--bogus"], "x", "arguments"],
    [["policy"], "  \n", "empty input"],
  ])("exit 2 on bad input %j", async (argv, stdin, message) => {
    const r = await run(argv, stdin);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe("");
  });

  it.each([
    ["a 64-hex-digit mrenclave: permits unknown", `"${"a".repeat(64)}"`, null, null, "mrenclave-pinned"],
    [
      '"not-a-hash": refused at the mrenclave condition',
      '"not-a-hash"',
      false,
      '[type=="x-ms-sgx-mrenclave", value=="not-a-hash"]',
      "mrenclave-never-matches",
    ],
  ])("pinned mrenclave, %s (exit 1)", async (_name, value, permits, failingCondition, code) => {
    const policy = permitWhen([...RECOMMENDED_CONDITIONS, `[ type=="x-ms-sgx-mrenclave", value==${value} ]`]);
    const r = await run(["policy", "--format", "json"], policy);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ valid: true, permits, failingCondition });
    expect(json.findings.map((f: { code: string }) => f.code)).toContain(code);
  });
});
