import { describe, expect, it } from "vitest";
import { parseCliArgs } from "../../../src/cli/args.js";
import {
  databaseNameSchema,
  durationSchema,
  InputError,
  isoInstantSchema,
  parseField,
  serverNameSchema,
} from "../../../src/domain/command/fields.js";

const server = (s: string) => parseField(serverNameSchema, "server", s);

describe("server names", () => {
  it.each([
    ["sgxtest2", "sgxtest2"],
    ["  SGXTest2 ", "sgxtest2"],
    ["sgxtest2.database.windows.net", "sgxtest2"],
    ["sgxtest2.database.windows.net.", "sgxtest2"],
    ["tcp:sgxtest2.database.windows.net,1433", "sgxtest2"],
    ["sgxtest2.privatelink.database.windows.net", "sgxtest2"],
    ["sgxtest2.database.chinacloudapi.cn", "sgxtest2"],
    ["a", "a"],
    ["x".repeat(63), "x".repeat(63)],
  ])("accepts %j as %j", (given, expected) => {
    expect(server(given)).toBe(expected);
  });

  it.each([
    "",
    "-leading",
    "trailing-",
    "under_score",
    "x".repeat(64),
    'evil" | take 1 //',
    "a\nb",
    "sgxtest2.example.com",
    "a;b",
  ])("refuses %j, naming the field and what is expected", (given) => {
    expect(() => server(given)).toThrow(InputError);
    expect(() => server(given)).toThrow(/^server: got .*; expected an Azure SQL server name/);
  });
});

describe("times, durations and database names", () => {
  it.each([
    ["2026-11-24T09:00:00Z", Date.UTC(2026, 10, 24, 9)],
    ["2026-11-24T09:00Z", Date.UTC(2026, 10, 24, 9)],
    ["2026-11-24T10:00:00+01:00", Date.UTC(2026, 10, 24, 9)],
    ["2024-02-29T00:00:00Z", Date.UTC(2024, 1, 29)],
  ])("accepts the instant %j", (given, ms) => {
    expect(parseField(isoInstantSchema, "--now", given)).toBe(ms);
  });

  it.each([
    "2026-02-30T18:00:00Z",
    "2025-02-29T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-11-25T24:00:00Z",
    "2026-11-25T23:60:00Z",
    "2026-11-25T12:00:00",
    "2026-11-25",
    "yesterday",
  ])("refuses the instant %j (no silent roll-over)", (given) => {
    expect(() => parseField(isoInstantSchema, "--now", given)).toThrow(/^--now: got /);
  });

  it("durations are positive and at most 30 days", () => {
    expect(parseField(durationSchema, "--since", "6h")).toBe(6 * 3_600_000);
    expect(parseField(durationSchema, "--since", "30d")).toBe(30 * 86_400_000);
    for (const bad of ["0h", "31d", "-1h", "6 hours", ""])
      expect(() => parseField(durationSchema, "--since", bad)).toThrow(/^--since: got /);
  });

  it("database names follow Azure SQL's rules", () => {
    expect(parseField(databaseNameSchema, "--database", "contosoDB")).toBe("contosoDB");
    for (const bad of ["a/b", "trailing.", "x".repeat(129), "tab\there"])
      expect(() => parseField(databaseNameSchema, "--database", bad)).toThrow(/^--database: got /);
  });
});

describe("CLI arguments", () => {
  const options = { since: { type: "string" as const }, now: { type: "string" as const } };

  it("a value starting with a dash reaches the field's validation", () => {
    const { values } = parseCliArgs(["x", "--since", "-1h"], options, "usage");
    expect(values.since).toBe("-1h");
  });

  it("an option name is not taken as the previous option's value", () => {
    expect(() => parseCliArgs(["x", "--since", "--now", "2026-11-24T09:00:00Z"], options, "usage")).toThrow(
      /^arguments: got .*expected usage/,
    );
  });

  it("unknown options are refused with the usage", () => {
    expect(() => parseCliArgs(["x", "--frobnicate"], options, "usage")).toThrow(
      /expected usage \(Unknown option/,
    );
  });
});
