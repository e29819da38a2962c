/**
 * Conformance with Microsoft's own KQL documentation: every example in doc-cases.ts runs through
 * the real azure-kusto-data SDK against the embedded engine served on 127.0.0.1. Each case must
 * either match the page's printed output, or be refused by name (a Kusto error saying the embedded
 * engine does not support the named construct). A different answer is never acceptable.
 */
import type { Client } from "azure-kusto-data";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDatetime } from "../../../../src/kusto-engine/eval/literals.js";
import { formatKustoTimespan } from "../../../../src/kusto-engine/format.js";
import { DATABASE, type Served, sdkClient, serveData } from "../served.js";
import { DOC_CASES, type DocCase } from "./doc-cases.js";

const NOW = Date.UTC(2026, 10, 24, 9, 0, 0);

let served: Served;
let client: Client;
beforeAll(async () => {
  served = await serveData({}, NOW);
  client = sdkClient(served.server.url);
});
afterAll(async () => {
  client.close();
  await served.server.close();
});

type Outcome =
  | { readonly kind: "match" }
  | { readonly kind: "refused"; readonly message: string }
  | { readonly kind: "wrong"; readonly detail: string };

/** The page's table as header + rows of trimmed cells. */
function docTable(c: DocCase): { columns: string[]; rows: string[][] } {
  if (c.rows && c.columns) return { columns: [...c.columns], rows: c.rows.map((r) => [...r]) };
  const lines = (c.table ?? "").split("\n").filter((l) => l.trim() !== "");
  const cells = (line: string) => line.split("|").map((s) => s.trim());
  const [head, ...rest] = lines;
  const columns = cells(head ?? "");
  // A row written with a trailing `|` (`a|1|||`) has one empty cell too many.
  const rows = rest.map((line) => {
    const parts = cells(line);
    if (parts.length === columns.length + 1 && parts[parts.length - 1] === "") parts.pop();
    return parts;
  });
  return { columns, rows };
}

/** A wire cell as comparable JSON text, using the column's type to read the page's text the same way. */
function canonical(type: string, value: unknown): string {
  if (value === null || value === undefined || value === "") {
    return type === "string" ? JSON.stringify("") : "null";
  }
  switch (type) {
    case "datetime": {
      const ms = typeof value === "string" ? parseDatetime(value) : undefined;
      return ms === undefined ? `bad datetime ${String(value)}` : `dt:${Math.round(ms * 10_000)}`;
    }
    case "timespan":
      return `ts:${String(value)}`;
    case "long":
    case "int":
    case "real":
    case "decimal":
      return `n:${Number(value)}`;
    case "bool":
      return `b:${String(value).toLowerCase()}`;
    case "dynamic": {
      if (typeof value !== "string") return JSON.stringify(value);
      try {
        return JSON.stringify(JSON.parse(value));
      } catch {
        return JSON.stringify(value);
      }
    }
    default:
      return JSON.stringify(String(value));
  }
}

async function run(c: DocCase): Promise<Outcome> {
  let table: Awaited<ReturnType<Client["execute"]>>["primaryResults"][number] | undefined;
  try {
    const response = await client.execute(DATABASE, c.query);
    table = response.primaryResults[0];
  } catch (error) {
    // biome-ignore lint/suspicious/noExplicitAny: the SDK's HTTP error carries Kusto's error body.
    const e = error as any;
    const body = e?.response?.data?.error;
    const message = String(body?.["@message"] ?? body?.message ?? e?.message ?? e);
    if (e?.response?.status === 400 && /not supported by the embedded engine/.test(message)) {
      return { kind: "refused", message };
    }
    return { kind: "wrong", detail: `failed: ${e?.response?.status ?? ""} ${message}` };
  }
  if (!table) return { kind: "wrong", detail: "no primary result" };
  const expected = docTable(c);
  const names = table.columns.map((col) => String(col.name));
  if (JSON.stringify(names) !== JSON.stringify(expected.columns)) {
    return {
      kind: "wrong",
      detail: `columns ${JSON.stringify(names)} vs ${JSON.stringify(expected.columns)}`,
    };
  }
  const types = table.columns.map((col) => String(col.type));
  const actualRows = [...table.rows()].map((r) =>
    (r.raw as unknown[]).map((v, i) => canonical(types[i] ?? "string", normaliseTimespan(types[i], v))),
  );
  const expectedRows = expected.rows.map((r) =>
    r.map((v, i) => canonical(types[i] ?? "string", normaliseTimespan(types[i], v))),
  );
  const a = actualRows.map((r) => JSON.stringify(r));
  const b = expectedRows.map((r) => JSON.stringify(r));
  if (!c.ordered) {
    a.sort();
    b.sort();
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    return {
      kind: "wrong",
      detail: `rows\n  got      ${a.join("\n           ")}\n  expected ${b.join("\n           ")}`,
    };
  }
  return { kind: "match" };
}

/** Timespans in Kusto's `[-][d.]hh:mm:ss[.fffffff]` text on both sides. */
function normaliseTimespan(type: string | undefined, v: unknown): unknown {
  if (type !== "timespan" || typeof v !== "string") return v;
  const m = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/.exec(v.trim());
  if (!m) return v;
  const ms =
    Number(m[2] ?? 0) * 86_400_000 +
    Number(m[3]) * 3_600_000 +
    Number(m[4]) * 60_000 +
    Number(m[5]) * 1000 +
    (m[6] ? Number(m[6].padEnd(7, "0")) / 10_000 : 0);
  return formatKustoTimespan(m[1] ? -ms : ms);
}

describe("KQL documentation examples through the SDK: match or refused by name, never wrong", () => {
  const outcomes: { c: DocCase; outcome: Outcome }[] = [];

  it.each(DOC_CASES.map((c, i) => [i, c.doc.split("/").pop() ?? c.doc, c] as const))(
    "#%i %s",
    async (_i, _page, c) => {
      const outcome = await run(c);
      outcomes.push({ c, outcome });
      if (outcome.kind === "wrong") {
        expect.fail(`${c.doc}\n${c.query}\n${outcome.detail}`);
      }
    },
  );

  it("reports the tally: match / refused / wrong, with wrong = 0", () => {
    const tally = { match: 0, refused: 0, wrong: 0 };
    for (const o of outcomes) tally[o.outcome.kind]++;
    console.log(
      `KQL doc conformance: ${outcomes.length} cases from ${new Set(outcomes.map((o) => o.c.doc)).size} pages: match ${tally.match}, refused ${tally.refused}, wrong ${tally.wrong}`,
    );
    for (const o of outcomes) {
      if (o.outcome.kind === "refused") console.log(`  refused: ${o.c.doc}: ${o.outcome.message}`);
    }
    expect(outcomes).toHaveLength(DOC_CASES.length);
    expect(tally.wrong).toBe(0);
    expect(DOC_CASES.length).toBeGreaterThanOrEqual(60);
  });
});
