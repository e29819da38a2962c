import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { viewOfReport } from "../../../src/app/chat/handle-command.js";
import { explainView } from "../../../src/domain/view/check-view.js";
import { DEFAULT_LIMITS, diagnosisCardData } from "../../../src/render/adaptive-card/card-data.js";
import {
  MAX_CARD_BYTES,
  renderDiagnosisCard,
} from "../../../src/render/adaptive-card/render-diagnosis-card.js";
import {
  renderHelpCard,
  renderNoticeCard,
  renderProgressCard,
} from "../../../src/render/adaptive-card/render-simple-cards.js";
import { teamsVisible } from "../render/visible.js";
import { cardText, checkCard } from "./card-validation.js";
import { diagnosis, finding, hugeDiagnosis, report, SCENARIOS, viewOf } from "./fixtures.js";

const actionsOf = (card: Record<string, unknown>) =>
  (card.actions as { type: string; title: string; verb?: string; data?: unknown; url?: string }[]) ?? [];

describe("diagnosis card", () => {
  for (const [name, d] of Object.entries(SCENARIOS)) {
    it(`${name}: parses as Adaptive Card 1.5 with no warnings`, () => {
      const rendered = renderDiagnosisCard(viewOf(d));
      expect(rendered.warnings).toEqual([]);
      const check = checkCard(rendered.card);
      expect(check.problems).toEqual([]);
      expect(check.version).toBe("1.5");
      expect(rendered.bytes).toBeLessThanOrEqual(MAX_CARD_BYTES);
    });
  }

  it("colours the verdict banner by category", () => {
    const styles = Object.fromEntries(
      Object.entries(SCENARIOS).map(([name, d]) => {
        const body = renderDiagnosisCard(viewOf(d)).card.body as { style?: string }[];
        return [name, body[0]?.style];
      }),
    );
    expect(styles).toEqual({
      "customer-rbac": "warning",
      "deployment-enclave": "attention",
      "maa-escalation": "attention",
      "needs-info": "accent",
      healthy: "good",
    });
  });

  it("shows each finding: title, why, count and first/last seen, nodes, mitigation, owner, source", () => {
    const card = renderDiagnosisCard(viewOf(SCENARIOS["customer-rbac"]!)).card;
    const text = cardText(card);
    expect(text).toContain("1. The server's identity cannot read the attestation policy");
    expect(text).toContain("Return code 0x00000193 (403)");
    // Times as Adaptive Card DATE/TIME functions: the reader sees them in local time (issue 12).
    expect(text).toContain(
      "12 times, {{DATE(2026-11-24T09:48:00Z, SHORT)}} {{TIME(2026-11-24T09:48:00Z)}} – {{DATE(2026-11-24T09:59:00Z, SHORT)}} {{TIME(2026-11-24T09:59:00Z)}} on 3 nodes",
    );
    expect(teamsVisible(card)).toContain(
      "12 times, Tue, Nov 24, 2026 9:48 AM – Tue, Nov 24, 2026 9:59 AM on 3 nodes",
    );
    expect(text).toContain("_DB_0, _DB_1, _DB_2");
    expect(text).toContain("Give the server's managed identity the Attestation Reader role");
    expect(text).toContain("Customer");
    expect(text).toMatch(
      /\[Configure Azure Attestation for your logical server\]\(https:\/\/learn\.microsoft\.com\//,
    );
    expect(text).toContain("Whose move");
  });

  it("puts mitigation commands in monospace, in TextRuns (never read as Markdown)", () => {
    const blocks: { text?: string; fontType?: string }[] = [];
    JSON.stringify(renderDiagnosisCard(viewOf(SCENARIOS["customer-rbac"]!)).card, (_k, v) => {
      if (v && typeof v === "object" && (v as { type?: string }).type === "TextRun") blocks.push(v);
      return v;
    });
    const command = blocks.find((b) => b.text?.startsWith("New-AzRoleAssignment"));
    expect(command?.fontType).toBe("Monospace");
  });

  it("keeps the line breaks of multi-line commands: one monospace TextRun, shown line by line", () => {
    const d = diagnosis(
      [finding("customer_error", { mitigation: { text: "Run:", commands: ["line one\n\n  line three"] } })],
      "customer_error",
    );
    const blocks: { text?: string; fontType?: string }[] = [];
    JSON.stringify(renderDiagnosisCard(viewOf(d)).card, (_k, v) => {
      if (v && typeof v === "object" && (v as { fontType?: string }).fontType === "Monospace") blocks.push(v);
      return v;
    });
    expect(blocks[0]?.text).toBe("line one\n\n  line three");
    expect(teamsVisible(renderDiagnosisCard(viewOf(d)).card)).toMatch(/\nline one\n\s*\n?\s*line three\n/);
  });

  it("has a hidden evidence table (timestamp, node, error id, code, excerpt) shown by a toggle", () => {
    const card = renderDiagnosisCard(viewOf(SCENARIOS["customer-rbac"]!)).card;
    const body = card.body as { id?: string; isVisible?: boolean; items?: unknown[] }[];
    const evidence = body.find((b) => b.id === "evidence");
    expect(evidence?.isVisible).toBe(false);
    const table = evidence?.items?.find((i) => (i as { type: string }).type === "Table") as {
      rows: unknown[];
    };
    expect(table.rows).toHaveLength(13); // header + 12 rows
    expect(cardText(table.rows[0])).toBe("Time\nNode\nError\nCode\nCause");
    expect(cardText(table.rows[1])).toContain("0x00000193");
    const toggle = actionsOf(card).find((a) => a.title === "Show evidence") as { targetElements?: string[] };
    expect(toggle.targetElements).toEqual(["evidence"]);
  });

  it("has the window, the data freshness and the buttons Re-run, Show the KQL, Open in ADX", () => {
    const view = viewOf(SCENARIOS["customer-rbac"]!, "sgxtestuksouthsrv", "https://dataexplorer.azure.com/x");
    const card = renderDiagnosisCard(view).card;
    const text = cardText(card);
    expect(text).toContain(
      "{{DATE(2026-11-24T07:00:00Z, SHORT)}} {{TIME(2026-11-24T07:00:00Z)}} – {{DATE(2026-11-24T10:00:00Z, SHORT)}} {{TIME(2026-11-24T10:00:00Z)}} (last 3h)",
    );
    const seen = teamsVisible(card);
    expect(seen).toContain("Tue, Nov 24, 2026 7:00 AM – Tue, Nov 24, 2026 10:00 AM (last 3h)");
    expect(seen).toContain("latest telemetry Tue, Nov 24, 2026 9:58 AM (2 min before the check)");
    const actions = actionsOf(card);
    expect(actions.map((a) => a.title)).toEqual([
      "Re-run",
      "Show evidence",
      "Show the KQL",
      "Open in Azure Data Explorer",
    ]);
    expect(actions[0]).toMatchObject({
      type: "Action.Execute",
      verb: "attest.run",
      data: { attestCommand: "attest check sgxtestuksouthsrv contosoDB --since 3h" },
    });
    expect(actions[3]).toMatchObject({ type: "Action.OpenUrl", url: "https://dataexplorer.azure.com/x" });
  });

  it("Open in Azure Data Explorer: the cluster, the database and the runnable query (gzip+base64)", () => {
    const card = renderDiagnosisCard(
      viewOfReport(report("sgxtestuksouthsrv", SCENARIOS["customer-rbac"]!)),
    ).card;
    const open = actionsOf(card).find((a) => a.type === "Action.OpenUrl");
    const url = new URL(open!.url!);
    expect(`${url.origin}${url.pathname}`).toBe(
      "https://dataexplorer.azure.com/clusters/help.kusto.windows.net/databases/Telemetry",
    );
    const kql = gunzipSync(Buffer.from(url.searchParams.get("query")!, "base64")).toString("utf8");
    expect(kql).toContain('let server = "sgxtestuksouthsrv";');
    expect(kql).toContain("MonSQLSystemHealth");
  });

  it("leaves out the explorer button when there is no cluster, and Re-run for explain", () => {
    const noLink = actionsOf(renderDiagnosisCard(viewOf(SCENARIOS["customer-rbac"]!)).card);
    expect(noLink.map((a) => a.title)).not.toContain("Open in Azure Data Explorer");
    const explain = renderDiagnosisCard(explainView(SCENARIOS["customer-rbac"]!, "2026-11-24T10:00:00Z"));
    expect(actionsOf(explain.card).map((a) => a.title)).toEqual(["Show evidence"]);
    expect(checkCard(explain.card).problems).toEqual([]);
  });

  it("stays under the Teams size budget, saying how much evidence was left out", () => {
    const rendered = renderDiagnosisCard(viewOf(hugeDiagnosis()));
    expect(rendered.bytes).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(checkCard(rendered.card).problems).toEqual([]);
    const text = cardText(rendered.card);
    expect(text).toMatch(/Showing the \d+ newest rows of 3200; \d+ rows left out to fit the card\./);
    expect(text).toContain("more findings left out to fit the card");
  });

  it("counts left-out evidence rows exactly", () => {
    const d = diagnosis(
      [finding("customer_error", { evidence: SCENARIOS["customer-rbac"]!.findings[0]!.evidence })],
      "customer_error",
    );
    const data = diagnosisCardData(viewOf(d), { ...DEFAULT_LIMITS, evidenceRows: 5 });
    expect(data.evidence.rows).toHaveLength(5);
    expect(data.evidence.note).toBe(
      "Showing the 5 newest rows of 12; 7 rows left out to fit the card. All of them: attest check sgxtestuksouthsrv contosoDB --since 3h --format json",
    );
  });

  it("binds user text as data: template syntax in evidence is not evaluated", () => {
    // Adaptive Card template syntax on purpose, not a JS template literal.
    const hostile = ["$", "{banner.title} {{x}}"].join("");
    const d = diagnosis(
      [
        finding("customer_error", {
          evidence: [{ timestamp: null, node: null, errorId: null, code: null, message: hostile }],
        }),
      ],
      "customer_error",
    );
    const rendered = renderDiagnosisCard(viewOf(d));
    expect(cardText(rendered.card)).toContain(hostile);
    expect(rendered.warnings).toEqual([]);
  });
});

describe("small cards", () => {
  it("help card says what was wrong and shows a correct example", () => {
    const card = renderHelpCard({ message: 'unknown command "chek"', example: "attest check srv" });
    expect(checkCard(card).problems).toEqual([]);
    const text = teamsVisible(card);
    expect(text).toContain('unknown command "chek"');
    expect(text).toContain("attest check srv");
    // Issue 12: a short help, with the one usage line of the command tried (not the 3 KB card).
    expect(text).toContain("attest check <server> [database] [--url URL] [--since 6h]");
    expect(text).not.toContain("attest explain <pasted error text>");
    expect(JSON.stringify(card).length).toBeLessThan(1500);
  });

  it("plain help has no error section", () => {
    const card = renderHelpCard(null);
    expect(checkCard(card).problems).toEqual([]);
    expect(cardText(card)).not.toContain("That did not work");
  });

  it("progress and notice cards parse cleanly", () => {
    const progress = renderProgressCard("Running 4 checks on sgxtestuksouthsrv…");
    expect(cardText(progress)).toContain("Running 4 checks on sgxtestuksouthsrv…");
    expect(checkCard(progress).problems).toEqual([]);
    for (const kind of ["refused", "unavailable", "error"] as const)
      expect(checkCard(renderNoticeCard(kind, "text")).problems).toEqual([]);
  });
});
