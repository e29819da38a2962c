import { describe, expect, it } from "vitest";
import { explain } from "../../../src/domain/diagnosis/explain.js";
import { type DriverMessage, fileOf } from "../../../src/domain/diagnosis/rules/driver-messages.js";
import { DRIVER_RULES } from "../../../src/domain/diagnosis/rules/driver-rules.js";
import { RBAC_BODY } from "../../fixtures/seed-messages.js";

const MAA_URL = "https://sgxattestuks.uks.attest.azure.net/attest/SgxEnclave";

/** What the drivers put in each placeholder, by the words before it. */
function fill(template: string): string {
  const values: [RegExp, string][] = [
    [/(URL|url is) '$/i, MAA_URL],
    [/endpoint at '$/, "https://sgxattestuks.uks.attest.azure.net/certs"],
    [/enclave type '?$/i, "SGX"],
    [/(attestation protocol|The attestation protocol) '$/, "HGS"],
    [/Error details: '$/, "Response status code does not indicate success: 404 (Not Found)."],
    [/Exception: '$/, "IDX10511: Signature validation failed. Keys tried: 'System.Text.StringBuilder'."],
    [/Claim '$/, "x-ms-sgx-is-debuggable"],
    [/invalid value of '$/, "true"],
    [/with status: '$/, "UntrustedRoot"],
    [/key store provider: '$/, "AZURE_KEY_VAULT"],
    [/are: '$/, "1A-2B-3C-4D-5E-6F-70-81-92-A3"],
    [/(reading|returned by) '$/, "sp_describe_parameter_encryption"],
    [/enclave: $/, "java.security.cert.CertificateException: chain not trusted"],
  ];
  return template.replace(/\{\d+\}/g, (_, offset: number) => {
    const before = template.slice(0, offset);
    return values.find(([re]) => re.test(before))?.[1] ?? "value";
  });
}

/** How the application or tool prints it. */
const WRAPPERS: { name: string; apply: (message: string, m: DriverMessage) => string }[] = [
  {
    name: "as the exception prints it",
    apply: (text, m) =>
      m.driver === "Microsoft.Data.SqlClient"
        ? `System.InvalidOperationException: ${text}\n   at Microsoft.Data.SqlClient.SqlCommand.RunExecuteReaderTds(CommandBehavior cmdBehavior)`
        : `com.microsoft.sqlserver.jdbc.SQLServerException: ${text}\n\tat com.microsoft.sqlserver.jdbc.SQLServerException.makeFromDriverError(SQLServerException.java:265)`,
  },
  { name: "with non-breaking spaces", apply: (text) => text.replace(/ /g, "\u00a0") },
  {
    name: "hard-wrapped at 60 columns",
    apply: (text) => text.replace(/(.{60})/g, "$1\n"),
  },
  {
    name: "as SSMS shows it",
    apply: (text) => `An error occurred while executing batch. Error message is: ${text}`,
  },
];

const CASES = DRIVER_RULES.flatMap((rule) =>
  rule.messages.flatMap((message) =>
    WRAPPERS.map((w) => ({
      rule: rule.meta.id,
      category: rule.meta.category,
      resource: message.resource,
      driver: message.driver,
      wrapper: w.name,
      text: w.apply(fill(message.template), message),
    })),
  ),
);

describe("explain: client driver messages, filled as the drivers fill them", () => {
  it.each(CASES)("$driver $resource ($wrapper) → $rule", ({ text, rule, category, resource, driver }) => {
    const d = explain(text);
    expect(d.findings.map((f) => f.rule)).toEqual([rule]);
    expect(d.verdict).toBe(category);
    const details = d.findings[0]?.details.join("\n") ?? "";
    const file = fileOf(driver);
    // Cites the driver resource: repository, file and resource name.
    expect(details).toContain(`${driver} message ${resource} (${file.repo}, ${file.path}).`);
    expect(d.findings[0]?.source.ref).toMatch(
      /^https:\/\/github\.com\/(dotnet\/SqlClient|microsoft\/mssql-jdbc)\//,
    );
  });

  it("names what the driver filled in (the attestation URL, inner exception)", () => {
    const d = explain(
      "Failed to build a chain of trust between the enclave host's health report and the HGS root certificate for attestation URL 'http://hgs.contoso.local/Attestation' with status: 'UntrustedRoot'. Verify the attestation URL matches the URL configured on the SQL Server - see https://go.microsoft.com/fwlink/?linkid=2160553 for more details. If both the client and SQL Server use the same attestation service, contact Customer Support Services.",
    );
    expect(d.findings.map((f) => f.rule)).toEqual(["driver-hgs-untrusted-root"]);
    const details = d.findings[0]?.details.join("\n") ?? "";
    expect(details).toContain("{0} = 'http://hgs.contoso.local/Attestation'; {1} = 'UntrustedRoot'");
    // An HGS URL is named, never reported as a malformed Azure Attestation URL.
    expect(d.findings.map((f) => f.rule)).not.toContain("attestation-url-malformed");
  });

  it("a driver message quoting an Azure Attestation URL names its provider and region", () => {
    const d = explain(
      `Attestation information was not returned by SQL Server. Enclave type is 'SGX' and enclave attestation URL is '${MAA_URL}'.`,
    );
    expect(d.findings[0]?.rule).toBe("driver-enclave-session-failed");
    expect(d.findings[0]?.details.join("\n")).toMatch(/provider sgxattestuks, region uks/);
  });
});

describe("explain: the server's 373xx errors wrapped in a driver exception", () => {
  const wrapped = [
    ["Microsoft.Data.SqlClient", `Microsoft.Data.SqlClient.SqlException (0x80131904): ${RBAC_BODY}`],
    ["JDBC", `com.microsoft.sqlserver.jdbc.SQLServerException: ${RBAC_BODY}`],
    ["ODBC", `[Microsoft][ODBC Driver 18 for SQL Server][SQL Server]${RBAC_BODY}`],
    [
      "SSMS, with SqlClient's wrapper after it",
      `Msg 37324, Level 16, State 57, Procedure sp_describe_parameter_encryption, Line 1\n${RBAC_BODY}\nAn error occurred while executing batch. Error message is: Internal error. The result returned by 'sp_describe_parameter_encryption' is invalid. The attestation information resultset is missing for enclave type 'SGX'.`,
    ],
  ];
  it.each(wrapped)("%s → the server rule, not the driver wrapper", (_, text) => {
    expect(explain(text).findings.map((f) => f.rule)).toEqual(["rbac-attestation-reader-missing"]);
  });
});

describe("explain: messages outside attestation are said to be so", () => {
  const outside = [
    [
      "SSMS login failure",
      "Msg 18456, Level 14, State 1, Server sgxtest2, Line 1\nLogin failed for user 'appuser'.",
      "outside-attestation-login-failed",
    ],
    [
      "ODBC login failure",
      "[Microsoft][ODBC Driver 18 for SQL Server][SQL Server]Login failed for user 'appuser'.",
      "outside-attestation-login-failed",
    ],
    [
      "SqlClient key unwrap (Key Vault permission)",
      "Microsoft.Data.SqlClient.SqlException: Failed to decrypt a column encryption key using key store provider: 'AZURE_KEY_VAULT'. Verify the properties of the column encryption key and its column master key in your database. The last 10 bytes of the encrypted column encryption key are: '1A-2B-3C-4D-5E-6F-70-81-92-A3'.\n ---> Azure.RequestFailedException: Operation unwrapKey is not permitted on this key.\nStatus: 403 (Forbidden)",
      "outside-attestation-key-unwrap",
    ],
    [
      "Key Vault's own words only",
      "Azure.RequestFailedException: The user, group or application 'appid=...' does not have keys unwrapKey permission on key vault 'contoso-kv'.\nStatus: 403 (Forbidden)",
      "outside-attestation-key-unwrap",
    ],
  ];
  it.each(outside)("%s → outside attestation, never an attestation category", (_, text, rule) => {
    const d = explain(text);
    expect(d.findings.map((f) => f.rule)).toEqual([rule]);
    expect(d.verdict).toBe("outside_attestation");
  });

  it("an attestation error pasted with a login failure still leads", () => {
    const d = explain(
      `Msg 18456, Level 14, State 1\nLogin failed for user 'appuser'.\nMsg 37324, Level 16, State 57\n${RBAC_BODY}`,
    );
    expect(d.verdict).toBe("customer_error");
    expect(d.findings.map((f) => f.rule)).toEqual([
      "rbac-attestation-reader-missing",
      "outside-attestation-login-failed",
    ]);
  });
});

describe("explain: near misses are not driver messages", () => {
  it.each([
    "Attestation URL has not been specified",
    "The validation of an attestation token failed.",
    "the attestation protocol is HGS",
  ])("%s → unrecognised", (text) => {
    expect(explain(text).findings.map((f) => f.rule)).toEqual(["unrecognised-error"]);
  });
});
