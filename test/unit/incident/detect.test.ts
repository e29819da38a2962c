import { describe, expect, it } from "vitest";
import { incidentClassifier } from "../../../src/domain/incident/classify.js";
import {
  detectIncidents,
  type IncidentRow,
  incidentOf,
  incidentScopeText,
  incidentSentence,
} from "../../../src/domain/incident/detect.js";

const maa500 = (provider: string, region = "eus2") =>
  `2026-11-24 09:12:01.00 spid60 Error: 37324, Severity: 16, State: 57. 2026-11-24 09:12:01.00 spid60 Enclave attestation failed. Attestation service returned Error code: 'InternalServerError'. Error message: 'An internal server error has occurred'. Attestation URL: 'https://${provider}.${region}.attest.azure.net/attest/SgxEnclave?api-version=2018-09-01-preview'. Return code: '0x000001f4'. Verify the attestation policy. If the policy is correct, contact Customer Support Services.`;
const rbac403 =
  "Enclave attestation failed. Attestation service returned Error code: 'Forbidden'. Error message: 'Access to /attest/SgxEnclave is denied'. Attestation URL: 'https://p.eus2.attest.azure.net/attest/SgxEnclave'. Return code: '0x00000193'.";

function row(server: string, sample: string, region: string | null, minute = 12): IncidentRow {
  return {
    server,
    errorId: 37324,
    code: "0x000001f4",
    failures: 3,
    firstSeen: `2026-11-24T09:${String(minute).padStart(2, "0")}:00.000Z`,
    lastSeen: "2026-11-24T09:50:00.000Z",
    sample,
    region,
  };
}
const servers = (n: number, make: (i: number) => IncidentRow) => Array.from({ length: n }, (_, i) => make(i));

describe("detectIncidents", () => {
  it("many servers with the same MAA class in one region are one incident", () => {
    const rows = servers(6, (i) => row(`srv${i}`, maa500(`p${i}`), "eastus2", 12 + i));
    const [incident, ...rest] = detectIncidents(rows, incidentClassifier, { minServers: 5 });
    expect(rest).toEqual([]);
    expect(incident).toMatchObject({
      id: "maa-internal-error@region:eastus2",
      scope: "region",
      key: "eastus2",
      servers: ["srv0", "srv1", "srv2", "srv3", "srv4", "srv5"],
      failures: 18,
      firstSeen: "2026-11-24T09:12:00.000Z",
      codes: ["0x000001f4"],
    });
    expect(incidentScopeText(incident!)).toBe("6 servers in eastus2 since 2026-11-24 09:12 UTC");
    expect(incidentSentence(incident!)).toMatch(
      /^Part of a wider incident: 6 servers in eastus2 since 2026-11-24 09:12 UTC/,
    );
  });

  it("below the threshold there is no incident; the threshold is a setting", () => {
    const rows = servers(4, (i) => row(`srv${i}`, maa500(`p${i}`), "eastus2"));
    expect(detectIncidents(rows, incidentClassifier, { minServers: 5 })).toEqual([]);
    expect(detectIncidents(rows, incidentClassifier, { minServers: 4 })).toHaveLength(1);
    expect(() => detectIncidents(rows, incidentClassifier, { minServers: 1 })).toThrow(/at least 2/);
  });

  it("one provider across regions is an incident on that provider", () => {
    const rows = servers(5, (i) =>
      row(
        `srv${i}`,
        maa500("sharedeus2"),
        ["eastus2", "westus", "uksouth", "northeurope", "japaneast"][i] ?? null,
      ),
    );
    const incidents = detectIncidents(rows, incidentClassifier, { minServers: 5 });
    expect(incidents.map((i) => i.id)).toEqual(["maa-internal-error@provider:sharedeus2"]);
    expect(incidentScopeText(incidents[0]!)).toBe(
      "5 servers on provider sharedeus2 since 2026-11-24 09:12 UTC",
    );
  });

  it("a provider incident inside a region incident is not repeated", () => {
    const rows = servers(6, (i) => row(`srv${i}`, maa500("sharedeus2"), "eastus2"));
    expect(detectIncidents(rows, incidentClassifier, { minServers: 5 }).map((i) => i.id)).toEqual([
      "maa-internal-error@region:eastus2",
    ]);
  });

  it("customer errors are never an incident, however many servers have them", () => {
    const rows = servers(8, (i) => ({ ...row(`srv${i}`, rbac403, "eastus2"), code: "0x00000193" }));
    expect(detectIncidents(rows, incidentClassifier, { minServers: 5 })).toEqual([]);
  });

  it("different MAA classes in one region are not lumped together", () => {
    const throttled = (p: string) =>
      maa500(p).replace("InternalServerError", "TooManyRequests").replace("0x000001f4", "0x000001ad");
    const rows = [
      ...servers(3, (i) => row(`a${i}`, maa500(`p${i}`), "eastus2")),
      ...servers(3, (i) => ({ ...row(`b${i}`, throttled(`q${i}`), "eastus2"), code: "0x000001ad" })),
    ];
    expect(detectIncidents(rows, incidentClassifier, { minServers: 5 })).toEqual([]);
  });

  it("incidentOf finds the server's incident for its rule only", () => {
    const incidents = detectIncidents(
      servers(5, (i) => row(`srv${i}`, maa500(`p${i}`), "eastus2")),
      incidentClassifier,
      { minServers: 5 },
    );
    expect(incidentOf(incidents, "SRV3", "maa-internal-error")?.id).toBe("maa-internal-error@region:eastus2");
    expect(incidentOf(incidents, "srv3", "maa-throttled")).toBeNull();
    expect(incidentOf(incidents, "other", "maa-internal-error")).toBeNull();
  });
});
