/**
 * Issue 10, cheaper diagnose: each distinct failure message (with its error id) is parsed and
 * classified once per diagnosis, however many telemetry rows repeat it — the rows of one failure
 * class and its summary's sample alike — and the findings are the same as before.
 */
import { describe, expect, it } from "vitest";
import { diagnose } from "../../../src/domain/diagnosis/diagnose.js";
import type { CheckFacts, DiagnoseOptions, HealthEvent } from "../../../src/domain/diagnosis/facts.js";
import { classify } from "../../../src/domain/diagnosis/rules/catalog.js";
import { RBAC_BODY } from "../../fixtures/seed-messages.js";

const RING = "tr1850.uksouth1-a.worker.database.windows.net";
/** As MonSQLSystemHealth logs it: every row has its own errorlog prefix (time, spid). */
const logged = (i: number, text: string) => {
  const t = new Date(Date.UTC(2026, 10, 24, 8, 0, 0) - i * 1000).toISOString().replace("T", " ").slice(0, 22);
  return `${t} spid${50 + (i % 60)} Error: 37324, Severity: 16, State: 57. ${t} spid${50 + (i % 60)} ${text}`;
};
const RBAC = (i: number) => logged(i, RBAC_BODY);
const MAA_500 = (i: number) =>
  logged(
    i,
    "Enclave attestation failed. Attestation service returned Error code: 'InternalServerError'. Error message: 'x'. Attestation URL: 'https://a.uks.attest.azure.net/attest/SgxEnclave'. Return code: '0x000001f4'.",
  );
const BAD_URL = (i: number) =>
  `2026-11-24 07:00:0${i % 10}.00 spid${i % 90} Error: 37303, Severity: 16, State: 1. Failed to acquire attestation token. Attestation URL: 'https://a.uks.attest.azure.net/attest/Sgx'. Return code: '0x00002ee7'.`;

const row = (i: number, message: string, errorId = 37324): HealthEvent => ({
  timestamp: new Date(Date.UTC(2026, 10, 24, 8, 0, 0) - i * 1000).toISOString(),
  nodeName: `DB.${20 + (i % 4)}`,
  appName: "db6df7be41cd",
  clusterName: RING,
  databaseGuid: "9d93e5d2-559b-4197-82ba-1c89f4344d74",
  errorId,
  message,
});

const facts = (events: HealthEvent[], classes: CheckFacts["attestationClasses"] = null): CheckFacts => ({
  server: "sgxtestuksouthsrv",
  database: null,
  window: { from: "2026-11-24T06:00:00.000Z", to: "2026-11-24T09:00:00.000Z" },
  loadWindow: { from: "2026-11-17T09:00:00.000Z", to: "2026-11-24T09:00:00.000Z" },
  attestationEvents: events,
  attestationTruncated: false,
  attestationClasses: classes,
  enclaveEvents: [],
  databases: [
    { name: "contosoDB", id: "9d93e5d2-559b-4197-82ba-1c89f4344d74", state: "Ready", slo: "SQLDB_GP_DC_2" },
  ],
  placements: [{ clusterName: RING, ringName: RING, vmSize: "SQLDCGen6_2" }],
  serverSeen: true,
  attestationUrl: null,
});

/** The catalog's classifier, counting its calls. */
function counting() {
  const calls: string[] = [];
  const options: DiagnoseOptions = {
    sgxVmSizes: ["SQLDCGen6_2"],
    classify: (m, o) => {
      calls.push(m.text);
      return classify(m, o);
    },
  };
  return { calls, options };
}

describe("diagnose classifies each distinct message once", () => {
  it("500 rows of one failure (each with its own errorlog time and spid) and their class summary: one classification", () => {
    const rows = Array.from({ length: 500 }, (_, i) => row(i, RBAC(i)));
    const classes = [
      {
        errorId: 37324,
        code: "0x00000193",
        count: 500,
        firstSeen: rows.at(-1)?.timestamp ?? "",
        lastSeen: rows[0]?.timestamp ?? "",
        nodes: 4,
        sample: RBAC(7),
      },
    ];
    const { calls, options } = counting();
    const d = diagnose(facts(rows, classes), options);
    expect(calls).toHaveLength(1);
    const rbac = d.findings.find((f) => f.rule === "rbac-attestation-reader-missing");
    expect(rbac?.count).toBe(500);
    // Each evidence row is still the row's own message.
    expect(new Set(rbac?.evidence.map((e) => e.message)).size).toBe(rbac?.evidence.length);
    expect(d).toEqual(diagnose(facts(rows, classes), { sgxVmSizes: ["SQLDCGen6_2"] }));
  });

  it("3 failure classes over 300 rows: three classifications; a URL quoted 100 times is checked once per diagnosis", () => {
    const rows = Array.from({ length: 300 }, (_, i) =>
      i % 3 === 0 ? row(i, RBAC(i)) : i % 3 === 1 ? row(i, MAA_500(i)) : row(i, BAD_URL(i), 37303),
    );
    const { calls, options } = counting();
    const d = diagnose(facts(rows), options);
    expect(calls).toHaveLength(3);
    expect(new Set(calls).size).toBe(3);
    const rules = d.findings.map((f) => f.rule);
    expect(rules).toContain("rbac-attestation-reader-missing");
    expect(rules).toContain("attestation-url-malformed");
    // The malformed URL's problem is stated once, not once per row.
    const malformed = d.findings.find((f) => f.rule === "attestation-url-malformed");
    expect(new Set(malformed?.details).size).toBe(malformed?.details.length);
    expect(d.findings.reduce((n, f) => n + f.evidence.length, 0)).toBeGreaterThan(0);
  });

  it("the same text under another error id is another question", () => {
    const { calls, options } = counting();
    diagnose(facts([row(0, MAA_500(0), 37324), row(1, MAA_500(0), 37309)]), options);
    expect(calls).toHaveLength(2);
  });
});
