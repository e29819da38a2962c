/**
 * Hand-built diagnoses for renderer and bot tests, turned into views by the real view functions
 * (checkView/explainView): the renderer sees exactly what production hands it.
 */
import type { CheckReport } from "../../../src/app/run-check.js";
import type { Category, Diagnosis, Evidence, Finding } from "../../../src/domain/diagnosis/types.js";
import { checkView, type DiagnosisView } from "../../../src/domain/view/check-view.js";

export const NOW = "2026-11-24T10:00:00.000Z";
export const WINDOW = { from: "2026-11-24T07:00:00.000Z", to: NOW };

function evidence(n: number, code: string, message: string): Evidence[] {
  return Array.from({ length: n }, (_, i) => ({
    timestamp: new Date(Date.parse(NOW) - (i + 1) * 60_000).toISOString(),
    node: `_DB_${i % 3}`,
    errorId: 37324,
    code,
    message,
  }));
}

export function finding(category: Category, overrides: Partial<Finding> = {}): Finding {
  const ev = overrides.evidence ?? [];
  return {
    rule: `${category.replace(/_/g, "-")}-rule`,
    category,
    title: `A ${category} finding`,
    why: "Because the enclave could not be attested.",
    mitigation: { text: "Do the documented fix.", commands: [] },
    owner: "Customer",
    source: {
      title: "TSG: Always Encrypted: Attestation failures, Step 4.1",
      ref: "000_39ea41e4cab70e16.txt",
    },
    count: ev.length || 1,
    firstSeen: ev.at(-1)?.timestamp ?? null,
    lastSeen: ev[0]?.timestamp ?? null,
    nodes: [...new Set(ev.map((e) => e.node ?? ""))].filter((n) => n !== ""),
    details: [],
    evidence: ev,
    ...overrides,
  };
}

const rbac = finding("customer_error", {
  rule: "rbac-attestation-reader-missing",
  title: "The server's identity cannot read the attestation policy",
  why: "Return code 0x00000193 (403): the logical server has no Attestation Reader role on the provider.",
  mitigation: {
    text: "Give the server's managed identity the Attestation Reader role on the attestation provider.",
    commands: [
      'New-AzRoleAssignment -ObjectId $server.Identity.PrincipalId -RoleDefinitionName "Attestation Reader" -ResourceGroupName <rg>',
    ],
  },
  owner: "Customer",
  source: {
    title: "Configure Azure Attestation for your logical server",
    ref: "https://learn.microsoft.com/en-us/azure/azure-sql/database/always-encrypted-enclaves-configure-attestation",
  },
  evidence: evidence(
    12,
    "0x00000193",
    "Msg 37324, Level 16, State 57: Failed to attest the enclave. Return code: '0x00000193'.",
  ),
});

const enclave = finding("deployment_issue", {
  rule: "enclave-not-loaded",
  title: "The SGX enclave is not loaded on the database's node",
  why: "No enclave load event in the last 7 days on a DC-series ring.",
  mitigation: { text: "Raise an incident with the Azure SQL deployment team.", commands: [] },
  owner: "Azure SQL deployment (Microsoft)",
  details: ["Ring tr1850.uksouth1-a has VM size SQLDCGen6_2."],
});

const maa = finding("maa_escalation", {
  rule: "maa-service-error",
  title: "Azure Attestation returned a service error",
  why: "Return code 0x000001f4 (500) from the attestation provider.",
  mitigation: { text: "Escalate to Azure Security Engineering/Azure Attestation Service.", commands: [] },
  owner: "Azure Security Engineering/Azure Attestation Service",
  evidence: evidence(3, "0x000001f4", "Return code: '0x000001f4'. Internal server error."),
});

const info = finding("needs_info", {
  rule: "no-telemetry",
  title: "No telemetry from this server in the window",
  why: "The server name may be wrong, or nothing ran in the window.",
  mitigation: { text: "Check the server name and ask when the failure happened.", commands: [] },
  owner: "Support engineer",
});

export function diagnosis(findings: Finding[], verdict: Category): Diagnosis {
  return { verdict, findings };
}

const QUERY_TEXT =
  "declare query_parameters(server:string, windowStart:datetime, windowEnd:datetime, rowCap:long);\nMonSQLSystemHealth\n| where TIMESTAMP between (windowStart .. windowEnd)\n| where LogicalServerName =~ server\n| take rowCap";

export function report(
  server: string,
  d: Diagnosis,
  options: { database?: string | null } = {},
): CheckReport {
  return {
    server,
    database: options.database ?? null,
    attestationUrl: null,
    window: WINDOW,
    loadWindow: { from: "2026-11-17T10:00:00.000Z", to: NOW },
    diagnosis: d,
    queries: ["attestation-failures", "enclave-events", "database-slo", "placement"].map((name, i) => ({
      name: name as "attestation-failures",
      file: `queries/${name}.kql`,
      text: QUERY_TEXT,
      parameters: { server },
      requestId: `attest-bot;00000000-0000-0000-0000-00000000000${i}`,
      durationMs: 12 + i,
      rows: i,
      failure: null,
    })),
    freshness: "2026-11-24T09:58:00.000Z",
    generatedAt: NOW,
    target: { clusterUrl: "https://help.kusto.windows.net", database: "Telemetry", embedded: false },
  };
}

/** One diagnosis per category (the verdict is the most urgent finding). */
export const SCENARIOS: Readonly<Record<string, Diagnosis>> = {
  "customer-rbac": diagnosis([rbac], "customer_error"),
  "deployment-enclave": diagnosis([enclave, rbac], "deployment_issue"),
  "maa-escalation": diagnosis([maa], "maa_escalation"),
  "needs-info": diagnosis([info], "needs_info"),
  healthy: diagnosis([], "healthy"),
};

export function viewOf(
  d: Diagnosis,
  server = "sgxtestuksouthsrv",
  explorerUrl: string | null = null,
): DiagnosisView {
  const r = report(server, d, { database: "contosoDB" });
  return checkView({ ...r, explorerUrl });
}

/** A diagnosis with far more evidence and text than a Teams message can carry. */
export function hugeDiagnosis(): Diagnosis {
  const long = "x".repeat(3000);
  const findings = Array.from({ length: 8 }, (_, i) =>
    finding("customer_error", {
      rule: `rule-${i}`,
      title: `Finding ${i}`,
      why: long,
      mitigation: { text: long, commands: [long, long] },
      details: [long, long],
      // Distinct rows per finding (a row backing several findings is listed once).
      evidence: evidence(400, "0x00000193", `Msg 37324 (${i}) ${"very long message ".repeat(40)}`),
    }),
  );
  return diagnosis(findings, "customer_error");
}
