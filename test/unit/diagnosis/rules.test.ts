import { describe, expect, it } from "vitest";
import type { HealthEvent } from "../../../src/domain/diagnosis/facts.js";
import { parseMessage } from "../../../src/domain/diagnosis/parse-message.js";
import { ALL_RULES, classify, MESSAGE_RULES, ruleMeta } from "../../../src/domain/diagnosis/rules/catalog.js";
import { DRIVER_RULES } from "../../../src/domain/diagnosis/rules/driver-rules.js";
import {
  enclaveLoadFailures,
  enclaveLoads,
  isDcSeriesSlo,
  nonDcDatabases,
  nonSgxPlacements,
  urlProblemDetails,
} from "../../../src/domain/diagnosis/rules/fact-rules.js";
import { fillMitigation, SEED } from "../../../src/domain/diagnosis/rules/rule.js";
import { CATEGORIES } from "../../../src/domain/diagnosis/types.js";

const SERVER_37324 =
  "Msg 37324, Level 16, State 57 Enclave attestation failed. Attestation service returned Error code: 'Forbidden'. Return code: '0x00000193'.";

const EXPECTED: Record<string, string> = {
  "slo-not-dc-series": "customer_error",
  "vm-size-not-sgx": "deployment_issue",
  "attestation-url-malformed": "customer_error",
  "enclave-load-not-seen": "needs_info",
  "enclave-load-failed": "deployment_issue",
  "failures-before-window": "needs_info",
  "rbac-attestation-reader-missing": "customer_error",
  "attestation-url-unreachable": "customer_error",
  "attestation-request-timeout": "needs_info",
  "attestation-token-request-failed": "needs_info",
  "maa-code-conflict": "needs_info",
  "maa-throttled": "maa_escalation",
  "policy-evaluation-failed": "customer_error",
  "maa-internal-error": "maa_escalation",
  "azure-dcap-client-error": "deployment_issue",
  "intel-dcap-error": "deployment_issue",
  "filtered-args": "needs_info",
  "maa-other-4xx": "customer_error",
  "maa-other-5xx": "maa_escalation",
  "unrecognised-error": "needs_info",
  "no-telemetry": "needs_info",
  "data-unavailable": "needs_info",
  "database-not-found": "needs_info",
  "no-attestation-failures": "healthy",
  "maa-role-missing-401": "customer_error",
  "maa-quote-invalid-parameter": "customer_error",
  "policy-signer-invalid-cert-chain": "customer_error",
  "policy-signer-invalid-jws": "customer_error",
  "policy-parsing-error": "customer_error",
  "policy-base64url-invalid": "customer_error",
  "policy-signing-required": "customer_error",
  "az-module-outdated": "customer_error",
  "powershell-tls12": "customer_error",
  "guest-attestation-blocked": "customer_error",
  "driver-enclave-settings-missing": "customer_error",
  "driver-attestation-protocol-mismatch": "customer_error",
  "driver-server-enclave-not-supported": "customer_error",
  "driver-enclave-type-unsupported": "customer_error",
  "driver-token-signature-unverified": "customer_error",
  "driver-token-claim-invalid": "customer_error",
  "driver-hgs-untrusted-root": "customer_error",
  "driver-attestation-server-busy": "maa_escalation",
  "driver-enclave-session-failed": "needs_info",
  "outside-attestation-key-unwrap": "outside_attestation",
  "outside-attestation-login-failed": "outside_attestation",
};

/** Where client driver rules may cite their source: the driver's own resource file. */
const DRIVER_RESOURCE_FILES = [
  "https://github.com/dotnet/SqlClient/blob/main/src/Microsoft.Data.SqlClient/src/Resources/Strings.resx",
  "https://github.com/microsoft/mssql-jdbc/blob/main/src/main/java/com/microsoft/sqlserver/jdbc/SQLServerResource.java",
];

describe("rule catalog", () => {
  it("has exactly the agreed rule ids, each with the issue's category", () => {
    expect(Object.fromEntries(ALL_RULES.map((r) => [r.id, r.category]))).toEqual(EXPECTED);
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length);
  });

  it.each(ALL_RULES)(
    "$id is complete data: title, why, mitigation, owner and a seed or learn.microsoft.com source",
    (r) => {
      expect(CATEGORIES).toContain(r.category);
      expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      for (const s of [r.title, r.why, r.mitigation.text, r.owner, r.source.title])
        expect(s.trim()).not.toBe("");
      expect(r.why).not.toContain("\n");
      expect(
        (Object.values(SEED) as string[]).includes(r.source.ref) ||
          r.source.ref.startsWith("https://learn.microsoft.com/") ||
          (r.id.startsWith("driver-") || r.id.startsWith("outside-")
            ? DRIVER_RESOURCE_FILES.includes(r.source.ref)
            : false),
      ).toBe(true);
    },
  );

  it("telemetry rows are not matched by explain-only rules", () => {
    const ps = parseMessage("Set-AzAttestationPolicy : Operation returned HTTP Status Code 401");
    expect(classify(ps).meta.id).toBe("maa-role-missing-401");
    expect(classify(ps, { telemetry: true }).meta.id).toBe("unrecognised-error");
    expect(MESSAGE_RULES.filter((r) => r.explainOnly).map((r) => r.meta.id)).toHaveLength(21);
  });

  it("unrecognised-error is the last message rule and matches anything", () => {
    expect(MESSAGE_RULES.at(-1)?.meta.id).toBe("unrecognised-error");
    expect(classify(parseMessage("")).meta.id).toBe("unrecognised-error");
  });

  it("the RBAC mitigation carries the exact role assignment command and fills in the server", () => {
    const m = fillMitigation(ruleMeta("rbac-attestation-reader-missing"), {
      server: "sgxtestuksouthsrv",
      provider: "sgxattestuks",
    });
    expect(m.commands[0]).toBe(
      'New-AzRoleAssignment -ObjectId <server identity object id> -RoleDefinitionName "Attestation Reader" -Scope <provider resource id>',
    );
    expect(m.commands[1]).toContain("-ServerName sgxtestuksouthsrv");
    expect(m.text).toContain("(sgxattestuks)");
  });
});

/** Each message rule: texts it must match (and win), texts it must not match. */
const MESSAGE_TABLE: Record<string, { valid: string[]; invalid: string[] }> = {
  "azure-dcap-client-error": {
    valid: [
      "Msg 37325, Level 16, State 1",
      "error in Azure Data Center Attestation Primitives (DCAP) Client",
      // Review item 8: the short phrasings.
      "Enclave attestation failed due to an error in Azure DCAP client.",
      "ENCLAVE ATTESTATION FAILED DUE TO AN ERROR IN AZ\nURE DCAP CLIENT",
      "Validate Azure DCAP Client is installed and configured properly",
    ],
    invalid: [
      "Msg 37309, Level 16",
      "error in Intel Data Center Attestation Primitives (DCAP)",
      "Enclave attestation failed due to an error in Intel DCAP.",
      "Azure attestation failed",
    ],
  },
  "intel-dcap-error": {
    valid: [
      "Error: 37309, Severity: 16, State: 1.",
      "error in Intel Data Center Attestation Primitives (DCAP)",
      // Review item 8: the short phrasings.
      "Enclave attestation failed due to an error in Intel DCAP.",
      "Enclave attestation failed due to an error in Intel DCAP library (sgx_qv_verify_quote returned 0xe019).",
      "error in Intel SGX DCAP",
    ],
    invalid: [
      "Msg 37325, Level 16",
      "Intel inside",
      "Enclave attestation failed due to an error in Azure DCAP client.",
      "Msg 37325, Level 16 Enclave attestation failed due to an error in Intel DCAP.",
    ],
  },
  "filtered-args": {
    valid: [
      "[Filtered Args] Enclave attestation failed. Error code: '%1'. Return code: '0x%4'.",
      "Error code: '%1'",
    ],
    invalid: ["Return code: '0x00000193'.", "Enclave attestation failed. Error code: 'Forbidden'."],
  },
  "rbac-attestation-reader-missing": {
    valid: [
      "Return code: '0x00000193'",
      "Msg 37324, Level 16 Error code: 'Forbidden'",
      "Access to /attest/SgxEnclave is denied",
    ],
    invalid: [
      "Return code: '0x00000194'",
      "Error code: 'Forbidden'",
      // Review item 15: an explicit code (or another MAA error code) wins over the words.
      "Error code: 'InternalServerError'. Error message: 'Access to /attest/SgxEnclave is denied'. Return code: '0x000001f4'.",
      "Error code: 'ServiceUnavailable'. Error message: 'Access to /attest/SgxEnclave is denied'. Return code: '0x000001f7'.",
      "Msg 37324, Level 16 Error code: 'Forbidden'. Return code: '0x000001f4'.",
      "Error code: 'InternalServerError'. Error message: 'Access to /attest/SgxEnclave is denied'.",
      // Review 3 items 7 and 9: not a confident RBAC verdict.
      "Msg 37324, Level 16 Error code: 'InternalServerError'. Return code: '0x00000193'.",
      "Msg 37303, Level 16 Authentication method: HttpConnectAndSendRequest, status: 0x00000193",
    ],
  },
  "attestation-url-unreachable": {
    valid: [
      "status: 0x00002ee7",
      "Msg 37303, Level 16 Authentication method: HttpConnectAndSendRequest, status: 0x00002ee7.",
      "Internal error occurred while obtaining an authentication token for an attestation service. Authentication method: HttpConnect\nAndSendRequest, status: 0x00002ee7",
    ],
    invalid: [
      "Msg 37303, Level 16, State 1 Internal error",
      "HttpConnectAndSendRequest",
      // Review 3 item 7: step 4.2 is HttpConnectAndSendRequest with 0x00002ee7 only.
      "Msg 37303, Level 16 Authentication method: HttpConnectAndSendRequest, status: 0x00002efd",
      "Msg 37303, Level 16 Authentication method: HttpConnectAndSendRequest, status: 0x00002ee2",
      "Msg 37303, Level 16 Authentication method: HttpConnectAndSendRequest, status: 0x000001f4",
      "Msg 37303, Level 16 Authentication method: HttpConnectAndSendRequest, status: 0x00000190",
      "Msg 37303, Level 16 Authentication method: HttpConnectAndSendRequest, status: 0x00000000",
      "Msg 37303, Level 16 Authentication method: GetAccessToken, status: 0x00002ee7",
    ],
  },
  "attestation-request-timeout": {
    valid: [
      "Error: 37303, Severity: 16, State: 21. Internal error occurred while obtaining an authentication token for an attestation service. Authentication method: HttpConnectAndSendRequest, status: 0x00002ee2",
      "Msg 37303, Level 16 status: 0x00002EE2.",
    ],
    invalid: [
      "status: 0x00002ee2",
      "Msg 37303, Level 16 Authentication method: GetAccessToken, status: 0x00002ee2",
      "Msg 37303, Level 16 Authentication method: HttpConnectAndSendRequest, status: 0x00002ee7",
    ],
  },
  "attestation-token-request-failed": {
    valid: [
      "Msg 37303, Level 16 Authentication method: HttpConnectAndSendRequest, status: 0x00002efd",
      "Msg 37303, Level 16 Authentication method: HttpConnectAndSendRequest, status: 0x000001f4",
      "Msg 37303, Level 16 Authentication method: HttpConnectAndSendRequest, status: 0x00000190",
      "Msg 37303, Level 16 Authentication method: HttpConnectAndSendRequest, status: 0x00000193",
      "Msg 37303, Level 16 Authentication method: HttpConnectAndSendRequest, status: 0x000001ad",
      "Msg 37303, Level 16 Authentication method: HttpConnectAndSendRequest, status: 0x00000000",
      "Internal error occurred while obtaining an authentication token for an attestation service. Authentication method: GetAccessToken, status: 0x00002ee7",
      "Msg 37303, Level 16, State 1 Internal error",
    ],
    invalid: ["status: 0x000001f4", "HttpConnectAndSendRequest, status: 0x00000190"],
  },
  "maa-code-conflict": {
    valid: [
      // Review 3 item 9: a word and a return code that disagree.
      "Msg 37324, Level 16 Enclave attestation failed. Attestation service returned Error code: 'InternalServerError'. Return code: '0x00000193'.",
      "Msg 37324, Level 16 Enclave attestation failed. Error code: 'Forbidden'. Error message: 'Access to /attest/SgxEnclave is denied'. Return code: '0x00000191'.",
      "Msg 37324, Level 16 Error code: 'Forbidden'. Error message: 'Access to /attest/SgxEnclave is denied'. Return code: '0x000001ad'.",
      "Msg 37324, Level 16 Error code: 'Forbidden'. Return code: '0x000001f4'.",
      "Error code: 'PolicyEvaluationError'. Return code: '0x00000193'.",
    ],
    invalid: [
      "Msg 37324, Level 16 Error code: 'Forbidden'. Return code: '0x00000193'.",
      "Error code: 'InternalServerError'. Error message: 'Access to /attest/SgxEnclave is denied'. Return code: '0x000001f4'.",
      "Error code: 'InternalServerError'. Error message: 'Operation returned an invalid status code 'Unauthorized''. Return code: '0x000001f4'.",
      "Error code: 'PolicyEvaluationError'. Return code: '0x00000190'.",
      "Error code: 'ServiceUnavailable'. Return code: '0x000001f4'.",
      "Error code: 'Forbidden'. Return code: '0x80070005'.",
    ],
  },
  "maa-throttled": {
    valid: [
      "Return code: '0x000001ad'",
      "Msg 37324, Level 16 Enclave attestation failed. Error code: 'TooManyRequests'. Return code: '0x000001AD'.",
      "Error code: 'TooManyRequests'",
    ],
    invalid: [
      "Return code: '0x00000194'",
      "Msg 37324, Level 16 Error code: 'Forbidden'. Return code: '0x000001ad'.",
    ],
  },
  "policy-evaluation-failed": {
    valid: [
      "Error code: 'PolicyEvaluationError'",
      "Policy Evaluation Error has occurred",
      "No Permit claim was issued in the authorizationrules section",
      "Msg 37324, Level 16 Return code: '0x00000190'.",
    ],
    invalid: [
      "Return code: '0x00000190'.",
      "Msg 37324, Level 16 Error code: 'InvalidParameter' Return code: '0x00000190'.",
    ],
  },
  "maa-internal-error": {
    valid: [
      "Return code: '0x000001f4'",
      "Error code: 'InternalServerError'. Error message: 'Unauthorized'",
      "Error code: 'InternalServerError'. Error message: 'Access to /attest/SgxEnclave is denied'. Return code: '0x000001f4'.",
    ],
    invalid: [
      "Return code: '0x000001f7'",
      "internal error",
      // Review 3 item 9: Forbidden with 0x1f4 disagree (maa-code-conflict names both).
      "Msg 37324, Level 16 Error code: 'Forbidden'. Return code: '0x000001f4'.",
      "Msg 37324, Level 16 Error code: 'InternalServerError'. Return code: '0x00000193'.",
    ],
  },
  "maa-other-4xx": {
    valid: ["Return code: '0x00000194'", "Return code: '0x00000198'"],
    invalid: [
      "Return code: '0x000001f4'",
      "Return code: '0x00000193'",
      "status: 0x00002ee7",
      // Review 3 item 9: 429 is throttling, not a wrong request.
      "Return code: '0x000001AD'",
      "Msg 37324, Level 16 Error code: 'Forbidden'. Return code: '0x00000191'.",
    ],
  },
  "maa-other-5xx": {
    valid: [
      "Return code: '0x000001f7'",
      "Return code: '0x000001F6'",
      "Error code: 'ServiceUnavailable'. Error message: 'Access to /attest/SgxEnclave is denied'. Return code: '0x000001f7'.",
    ],
    invalid: ["Return code: '0x000001f4'", "Return code: '0x00000258'"],
  },
  "maa-role-missing-401": {
    valid: ["Operation returned HTTP Status Code 401", "HTTP-401: Unauthorized exception"],
    invalid: [
      "Error code: 'InternalServerError'. Error message: 'Operation returned an invalid status code 'Unauthorized''",
    ],
  },
  "maa-quote-invalid-parameter": {
    valid: [
      "The specified quote was invalid due to an error in the quote collateral",
      "Code: InvalidParameter quote rejected",
    ],
    invalid: ["Code: InvalidParameter"],
  },
  "policy-signer-invalid-cert-chain": {
    valid: ["Msg:[Unable to find issuer certificate CN=x]", "Code: InvalidParameter certificate chain"],
    invalid: ["Unable to find the item"],
  },
  "policy-signer-invalid-jws": {
    valid: [
      'Could not find "maa-policyCertificate" claim',
      "Malformed JWT: Could not find first period",
      "Add-AzAttestationPolicySigner Code: InvalidOperation",
    ],
    invalid: ["Add-AzAttestationPolicySigner -Name x"],
  },
  "policy-parsing-error": {
    valid: [
      "Error code PolicyParsingError",
      "Policy Parser Exception Thrown",
      "Invalid policy was specified",
    ],
    invalid: ["policy parsed fine"],
  },
  "policy-base64url-invalid": {
    valid: ["Unknown base64 character: 41 (')')", "..\\Shared\\base64url.h(226)"],
    invalid: ["base64 is fine"],
  },
  "policy-signing-required": {
    valid: ["unsigned policy rejected", "Set-AzAttestationPolicy : ... Code: InvalidOperation"],
    invalid: ["Set-AzAttestationPolicy -Name x"],
  },
  "az-module-outdated": {
    valid: [
      "does not have authorization to perform action Microsoft.Authorization/roleassignments/write over scope",
    ],
    invalid: ["does not have authorization"],
  },
  "powershell-tls12": {
    valid: ["No match was found for the specified search criteria and module name 'Az'"],
    invalid: ["No match was found"],
  },
  "guest-attestation-blocked": {
    valid: ["Microsoft.Azure.Security.WindowsAttestation.GuestAttestation provisioning failed."],
    invalid: ["Guest attestation works"],
  },
  // Client driver rules: every message of each is tested filled in, in driver-rules.test.ts.
  ...Object.fromEntries(
    DRIVER_RULES.map((r) => [
      r.meta.id,
      {
        valid: r.messages.map((m) => m.template.replace(/\{\d+\}/g, "x")),
        // With the server's own error in the same text, the server rules explain it.
        invalid: r.messages.map((m) => `${SERVER_37324} ${m.template.replace(/\{\d+\}/g, "x")}`),
      },
    ]),
  ),
  "outside-attestation-login-failed": {
    valid: ["Login failed for user 'app'.", "Msg 18456, Level 14, State 1"],
    invalid: [`Login failed for user 'app'. ${SERVER_37324}`, "The login failed"],
  },
};

describe("message rules: valid/invalid tables", () => {
  it("every message rule except the fallback has a table", () => {
    expect(Object.keys(MESSAGE_TABLE).sort()).toEqual(
      MESSAGE_RULES.map((r) => r.meta.id)
        .filter((id) => id !== "unrecognised-error")
        .sort(),
    );
  });
  const valid = Object.entries(MESSAGE_TABLE).flatMap(([id, t]) => t.valid.map((text) => ({ id, text })));
  const invalid = Object.entries(MESSAGE_TABLE).flatMap(([id, t]) => t.invalid.map((text) => ({ id, text })));
  it.each(valid)("$id explains $text", ({ id, text }) => {
    expect(classify(parseMessage(text)).meta.id).toBe(id);
  });
  it.each(invalid)("$id does not explain $text", ({ id, text }) => {
    expect(classify(parseMessage(text)).meta.id).not.toBe(id);
  });
  it.each(valid)("$id: its check matches $text on its own", ({ id, text }) => {
    expect(MESSAGE_RULES.find((r) => r.meta.id === id)?.matches(parseMessage(text))).toBe(true);
  });
});

describe("classify with a known error id (the telemetry row's error_id column, review item 8)", () => {
  const unknownText =
    "2026-11-25 10:59:00.00 spid12 Enclave attestation failed: sgx_qv_verify_quote returned 0xe019.";
  it.each([
    [37309, "intel-dcap-error"],
    [37325, "azure-dcap-client-error"],
  ])("a %s row whose text is not recognised → %s", (errorId, rule) => {
    expect(classify(parseMessage(unknownText)).meta.id).toBe("unrecognised-error");
    expect(classify(parseMessage(unknownText, { errorId }), { telemetry: true }).meta.id).toBe(rule);
    expect(classify(parseMessage(unknownText), { telemetry: true, errorId }).meta.id).toBe(rule);
  });

  it("the given id wins over the words and over [Filtered Args]", () => {
    const azureText = "Enclave attestation failed due to an error in Azure DCAP client.";
    expect(classify(parseMessage(azureText), { errorId: 37309 }).meta.id).toBe("intel-dcap-error");
    expect(classify(parseMessage(azureText, { errorId: 37309 })).meta.id).toBe("intel-dcap-error");
    const filtered =
      "Error: 37324, Severity: 16. [Filtered Args] Enclave attestation failed. Error code: '%1'.";
    expect(classify(parseMessage(filtered)).meta.id).toBe("filtered-args");
    expect(classify(parseMessage(filtered), { errorId: 37325 }).meta.id).toBe("azure-dcap-client-error");
  });

  it("a null or absent id changes nothing", () => {
    const rbac = "Return code: '0x00000193'";
    expect(classify(parseMessage(rbac), { errorId: null }).meta.id).toBe("rbac-attestation-reader-missing");
    expect(classify(parseMessage(rbac, { errorId: null })).meta.id).toBe("rbac-attestation-reader-missing");
    expect(classify(parseMessage(rbac), { errorId: 37324 }).meta.id).toBe("rbac-attestation-reader-missing");
    const dcap = "Msg 37309, Level 16, State 1";
    expect(classify(parseMessage(dcap), { errorId: 0 }).meta.id).toBe("intel-dcap-error");
  });

  it("37303 with HttpConnectAndSendRequest is recognised from the id when the text has no Msg line", () => {
    const text = "Authentication method: HttpConnectAndSendRequest failed";
    expect(classify(parseMessage(text)).meta.id).toBe("unrecognised-error");
    // No status: not step 4.2's 0x00002ee7, so not a confident wrong-URL verdict (review 3 item 7).
    expect(classify(parseMessage(text), { errorId: 37303 }).meta.id).toBe("attestation-token-request-failed");
    const guide = `${text}, status: 0x00002ee7`;
    expect(classify(parseMessage(guide), { errorId: 37303 }).meta.id).toBe("attestation-url-unreachable");
  });
});

const ev = (over: Partial<HealthEvent>): HealthEvent => ({
  timestamp: "2026-11-24T08:00:00.000Z",
  nodeName: "DB.23",
  appName: "db6df7be41cd",
  clusterName: "tr1850.uksouth1-a.worker.database.windows.net",
  databaseGuid: "",
  errorId: 37308,
  message: "Server Loaded SGX enclave for Always Encrypted.",
  ...over,
});

describe("fact rule checks", () => {
  it.each([
    ["SQLDB_GP_DC_2", true],
    ["SQLDB_BC_DC_8", true],
    ["SQLDB_HS_DC_4", true],
    ["sqldb_gp_dc_6", true],
    ["SQLDB_GP_Gen5_2", false],
    ["SQLDB_DC_2", false],
    ["SQLDB_GP_DC", false],
    ["", false],
  ])("isDcSeriesSlo(%j) = %s", (slo, ok) => {
    expect(isDcSeriesSlo(slo)).toBe(ok);
  });

  it("nonDcDatabases keeps only the non-DC ones", () => {
    const dbs = [
      { name: "a", id: "1", state: "Ready", slo: "SQLDB_GP_DC_2" },
      { name: "b", id: "2", state: "Ready", slo: "SQLDB_GP_Gen5_2" },
    ];
    expect(nonDcDatabases(dbs).map((d) => d.name)).toEqual(["b"]);
  });

  it("nonSgxPlacements: known non-SGX sizes only (case-insensitive; unknown size is not judged here)", () => {
    const p = (vmSize: string | null) => ({ clusterName: "c", ringName: "c", vmSize });
    expect(
      nonSgxPlacements([p("SQLDCGen6_2"), p("sqldcgen6_2"), p(null), p("SQLGen5_8")], ["SQLDCGen6_2"]),
    ).toEqual([p("SQLGen5_8")]);
    expect(nonSgxPlacements([p("SQLGen5_8")], ["SQLDCGen6_2", "SQLGen5_8"])).toEqual([]);
  });

  it("enclaveLoads / enclaveLoadFailures: a failure counts only when no later load on that node", () => {
    const load = ev({ timestamp: "2026-11-24T08:00:00.000Z" });
    const before = ev({
      errorId: 37310,
      timestamp: "2026-11-24T07:00:00.000Z",
      message: "Failed to load the SGX enclave.",
    });
    const after = ev({
      errorId: 37310,
      timestamp: "2026-11-24T09:00:00.000Z",
      message: "Failed to load the SGX enclave.",
    });
    const other = ev({ nodeName: "DB.24", errorId: 37310, message: "Enclave initialization failed." });
    const attestation = ev({
      errorId: 37324,
      message: "Enclave attestation failed. Return code: '0x00000193'.",
    });
    const attestationText = ev({ errorId: 99999, message: "Enclave attestation failed for some reason" });
    expect(enclaveLoads([load, before, other])).toEqual([load]);
    expect(enclaveLoadFailures([load, before])).toEqual([]);
    expect(enclaveLoadFailures([load, after, other, attestation, attestationText])).toEqual([after, other]);
  });

  it("urlProblemDetails labels each problem with where the URL came from", () => {
    expect(urlProblemDetails("--url", "https://p.eus.attest.azure.net/attest/SgxEnclave")).toEqual([]);
    expect(urlProblemDetails("--url", "http://p.eus.attest.azure.net/attest/SgxEnclave")).toEqual([
      '--url "http://p.eus.attest.azure.net/attest/SgxEnclave": scheme is http; expected https (the only scheme supported)',
    ]);
  });
});
