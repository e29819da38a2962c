/**
 * Rules for what the customer's application reports: the client drivers' own attestation and
 * enclave messages (driver-messages.ts), each with its cause and fix, citing the driver resource.
 * They only occur in pasted text. A paste that also carries the server's error (37324, 37303,
 * 37325, 37309) is explained by the server-error rules: the driver's wrapper adds nothing.
 * Messages that are not about attestation (login failures, column key unwrap) are said to be
 * outside attestation (category `outside_attestation`), never forced into an attestation category.
 */
import { mentions, type ParsedMessage } from "../parse-message.js";
import type { RuleMeta } from "../types.js";
import {
  type DriverHit,
  type DriverMessage,
  ENCLAVE_TYPE_UNSUPPORTED,
  fileOf,
  findDriverMessage,
  HGS_TRUST,
  JDBC_FILE,
  KEY_UNWRAP,
  PROTOCOL_MISMATCH,
  SERVER_BUSY,
  SERVER_NO_ENCLAVE,
  SESSION_FAILED,
  SETTINGS_MISSING,
  SQLCLIENT_FILE,
  TOKEN_CLAIM,
  TOKEN_SIGNATURE,
} from "./driver-messages.js";
import { type MessageRule, OWNER } from "./rule.js";

/** True when the text carries the server's own attestation error (the server rules explain it). */
export function carriesServerError(m: ParsedMessage): boolean {
  return (
    (m.errorId !== null && [37324, 37303, 37325, 37309].includes(m.errorId)) ||
    mentions(m, "Enclave attestation failed. Attestation service returned") ||
    mentions(m, "Enclave attestation failed due to an error in") ||
    mentions(m, "obtaining an authentication token for an attestation service")
  );
}

/** A driver rule: a message rule plus the driver messages it explains. */
export interface DriverRule extends MessageRule {
  readonly messages: readonly DriverMessage[];
  /** The driver message found in `m`, with its filled-in values; null when none is. */
  readonly hit: (m: ParsedMessage) => DriverHit | null;
}

const sourceTitle = (messages: readonly DriverMessage[]) => {
  const by = (file: typeof SQLCLIENT_FILE | typeof JDBC_FILE) =>
    messages.filter((d) => fileOf(d.driver) === file).map((d) => d.resource);
  const parts = [
    [SQLCLIENT_FILE, by(SQLCLIENT_FILE)],
    [JDBC_FILE, by(JDBC_FILE)],
  ] as const;
  return parts
    .filter(([, names]) => names.length > 0)
    .map(([file, names]) => `${file.repo} ${file.path}: ${names.join(", ")}`)
    .join("; ");
};

function driverRule(
  meta: Omit<RuleMeta, "source"> & { readonly docs?: string },
  messages: readonly DriverMessage[],
): DriverRule {
  const { docs, ...rest } = meta;
  const first = messages[0];
  const ref = first ? fileOf(first.driver).url : SQLCLIENT_FILE.url;
  const hit = (m: ParsedMessage) => (carriesServerError(m) ? null : findDriverMessage(m.raw, messages));
  return {
    explainOnly: true,
    messages,
    hit,
    meta: {
      ...rest,
      source: { title: `${sourceTitle(messages)}${docs ? `; ${docs}` : ""}`, ref },
    },
    matches: (m) => hit(m) !== null,
  };
}

const AE_TROUBLESHOOTING =
  'Microsoft Learn: "Troubleshoot common issues for Always Encrypted with secure enclaves"';
const CONNECTION_STRINGS = [
  "# Microsoft.Data.SqlClient / SSMS (Options > Always Encrypted):\nColumn Encryption Setting=Enabled; Attestation Protocol=AAS; Enclave Attestation Url=https://<attestation provider name>.<region>.attest.azure.net/attest/SgxEnclave",
  "# JDBC:\ncolumnEncryptionSetting=Enabled;enclaveAttestationProtocol=AAS;enclaveAttestationUrl=https://<attestation provider name>.<region>.attest.azure.net/attest/SgxEnclave",
  "# ODBC:\nColumnEncryption=SGX-AAS,https://<attestation provider name>.<region>.attest.azure.net/attest/SgxEnclave",
];

export const driverSettingsMissing = driverRule(
  {
    id: "driver-enclave-settings-missing",
    category: "customer_error",
    title: "Connection string lacks the attestation URL or protocol (client driver)",
    why: "The query needs the enclave, but the application's connection string does not set the attestation URL or the attestation protocol (or Always Encrypted), so the driver cannot attest the enclave.",
    mitigation: {
      text: "Ask the customer to set both in the connection string: for Azure SQL with Intel SGX enclaves the protocol is AAS (Microsoft Azure Attestation) and the URL is their provider's Attest URI with /attest/SgxEnclave.",
      commands: CONNECTION_STRINGS,
    },
    owner: OWNER.customer,
    priority: 12,
  },
  SETTINGS_MISSING,
);

export const driverProtocolMismatch = driverRule(
  {
    id: "driver-attestation-protocol-mismatch",
    category: "customer_error",
    title: "Attestation protocol does not fit the enclave type (HGS vs AAS, client driver)",
    why: "The connection string names an attestation protocol the driver cannot use with the server's enclave type: Azure SQL Intel SGX enclaves need AAS (Microsoft Azure Attestation); HGS is for VBS enclaves in SQL Server.",
    mitigation: {
      text: "Ask the customer to set the attestation protocol to AAS and the attestation URL to their Azure Attestation provider (not an HGS URL).",
      commands: CONNECTION_STRINGS,
    },
    owner: OWNER.customer,
    priority: 13,
    docs: AE_TROUBLESHOOTING,
  },
  PROTOCOL_MISMATCH,
);

export const driverServerNoEnclave = driverRule(
  {
    id: "driver-server-enclave-not-supported",
    category: "customer_error",
    title: "The database offers no secure enclave (client driver)",
    why: "The application asked for enclave computations, but the server did not return an enclave type: for Azure SQL the database is not on DC-series hardware (Intel SGX) or has no preferred enclave type.",
    mitigation: {
      text: "Check the database's service objective and enclave with `attest check <server name> <database name>`; for Intel SGX the database must use a DC-series service objective. If the customer does not need enclaves, remove the attestation settings from the connection string.",
      commands: ["attest check <server name> <database name>"],
    },
    owner: OWNER.customer,
    priority: 14,
    docs: AE_TROUBLESHOOTING,
  },
  SERVER_NO_ENCLAVE,
);

export const driverEnclaveTypeUnsupported = driverRule(
  {
    id: "driver-enclave-type-unsupported",
    category: "customer_error",
    title: "The client driver does not support the server's enclave type",
    why: "The server returned an enclave type the application's driver version does not know, so the driver refuses to attest it.",
    mitigation: {
      text: "Ask the customer to upgrade the driver (Microsoft.Data.SqlClient, the JDBC driver or the ODBC driver) to a version whose release notes list Always Encrypted with secure enclaves for that enclave type (SGX for Azure SQL DC-series).",
      commands: [],
    },
    owner: OWNER.customer,
    priority: 15,
  },
  ENCLAVE_TYPE_UNSUPPORTED,
);

export const driverTokenSignature = driverRule(
  {
    id: "driver-token-signature-unverified",
    category: "customer_error",
    title: "The application could not verify the attestation token's signature",
    why: "The driver fetches the attestation provider's public keys from the attestation URL and checks the token's signature (workflow step 5); a firewall, proxy or DNS entry between the application and the provider, or a URL naming a different provider than the server used, makes that fail.",
    mitigation: {
      text: "From the application's machine, open the provider's OpenID metadata and key endpoints; if they do not load, fix the firewall/proxy/DNS path. Make sure the connection string's attestation URL is the same provider the server attests with. If both are right, open a case with Customer Support Services.",
      commands: [
        "curl -s https://<attestation provider name>.<region>.attest.azure.net/.well-known/openid-configuration",
        "curl -s https://<attestation provider name>.<region>.attest.azure.net/certs",
      ],
    },
    owner: OWNER.customer,
    priority: 16,
    docs: AE_TROUBLESHOOTING,
  },
  TOKEN_SIGNATURE,
);

export const driverTokenClaim = driverRule(
  {
    id: "driver-token-claim-invalid",
    category: "customer_error",
    title: "A claim in the attestation token is missing or wrong (attestation policy)",
    why: "The token the provider issued lacks a claim the driver requires, or carries a value the driver rejects: the attestation policy does not issue what the Azure SQL enclave needs.",
    mitigation: {
      text: "Ask the customer for their attestation policy and check it with `attest policy` against the recommended policy; fix it with Set-AzAttestationPolicy. If it is the recommended policy, open a case with Customer Support Services.",
      commands: [
        "Get-AzAttestationPolicy -Name <attestation provider name> -ResourceGroupName <provider resource group> -Tee SgxEnclave",
        "attest policy < policy.txt",
      ],
    },
    owner: OWNER.customer,
    priority: 17,
  },
  TOKEN_CLAIM,
);

export const driverHgsTrust = driverRule(
  {
    id: "driver-hgs-untrusted-root",
    category: "customer_error",
    title: "Host Guardian Service trust failed: untrusted or mismatched HGS root (client driver)",
    why: "The driver could not chain the enclave host's health report to the HGS root certificate of the attestation URL: the client and SQL Server use different HGS instances, or the HGS certificate is expired or unreachable. HGS applies to VBS enclaves in SQL Server; Azure SQL SGX enclaves use AAS.",
    mitigation: {
      text: "For Azure SQL (Intel SGX), set the attestation protocol to AAS with the Azure Attestation provider's URL. For SQL Server with HGS, have the customer point the client at the HGS instance the SQL Server host is registered with and check its root certificate.",
      commands: [...CONNECTION_STRINGS, "Get-HgsClientConfiguration   # on the SQL Server host"],
    },
    owner: OWNER.customer,
    priority: 18,
    docs: AE_TROUBLESHOOTING,
  },
  HGS_TRUST,
);

export const driverServerBusy = driverRule(
  {
    id: "driver-attestation-server-busy",
    category: "maa_escalation",
    title: "The attestation service was busy (client driver)",
    why: "The driver could not create the enclave session because the attestation service was busy; for Azure SQL that is Azure Attestation, so it is not a customer mistake.",
    mitigation: {
      text: "Retry after a short while. If it persists, run `attest check <server name>`: when other servers fail the same way in the region it is an incident; escalate to the MAA owner with `attest escalate <server name>`.",
      commands: ["attest check <server name>", "attest escalate <server name>"],
    },
    owner: OWNER.maa,
    priority: 19,
  },
  SERVER_BUSY,
);

export const driverSessionFailed = driverRule(
  {
    id: "driver-enclave-session-failed",
    category: "needs_info",
    title: "The enclave session could not be set up (client driver)",
    why: "The driver got no usable attestation result from the server (none returned, expired, malformed or not bound to the enclave key); the cause is the server's own attestation error, which this paste does not include, or an internal fault.",
    mitigation: {
      text: "Look at the server side: `attest check <server name>` shows the server's 373xx attestation errors, or ask the customer for the full error including the 'Msg 373xx' part. If the server shows none, open a case with Customer Support Services with the driver name and version.",
      commands: ["attest check <server name>"],
    },
    owner: OWNER.support,
    priority: 19,
  },
  SESSION_FAILED,
);

export const outsideKeyUnwrap: DriverRule = (() => {
  const base = driverRule(
    {
      id: "outside-attestation-key-unwrap",
      category: "outside_attestation",
      title: "Column encryption key could not be unwrapped (Key Vault / key store, not attestation)",
      why: "The driver could not decrypt the column encryption key with the column master key: Key Vault permissions (unwrapKey) or the key store, not enclave attestation.",
      mitigation: {
        text: "Not an attestation problem: have the customer give the application's identity the unwrapKey (and get, verify) key permissions on the Key Vault key, or check the key store path in the column master key definition.",
        commands: [],
      },
      owner: OWNER.customer,
      priority: 26,
    },
    KEY_UNWRAP,
  );
  // Key Vault's own wording varies by SDK; the permission name (unwrapKey) does not.
  const unwrap = (m: ParsedMessage) => !carriesServerError(m) && mentions(m, "unwrapKey");
  return { ...base, matches: (m) => base.matches(m) || unwrap(m) };
})();

export const outsideLoginFailed: MessageRule = {
  explainOnly: true,
  meta: {
    id: "outside-attestation-login-failed",
    category: "outside_attestation",
    title: "Login failed (18456): authentication, not attestation",
    why: "The server refused the login (wrong password, missing user, database access): the connection never got as far as enclave attestation.",
    mitigation: {
      text: "Not an attestation problem: handle it as a login failure (check the user, password or Microsoft Entra identity and access to the database), then retry the enclave query.",
      commands: [],
    },
    owner: OWNER.customer,
    source: {
      title: "Microsoft Learn: MSSQLSERVER_18456",
      ref: "https://learn.microsoft.com/en-us/sql/relational-databases/errors-events/mssqlserver-18456-database-engine-error",
    },
    priority: 26,
  },
  matches: (m) => !carriesServerError(m) && (m.errorId === 18456 || mentions(m, "Login failed for user")),
};

export const DRIVER_RULES: readonly DriverRule[] = [
  driverSettingsMissing,
  driverProtocolMismatch,
  driverServerNoEnclave,
  driverEnclaveTypeUnsupported,
  driverTokenSignature,
  driverTokenClaim,
  driverHgsTrust,
  driverServerBusy,
  driverSessionFailed,
  outsideKeyUnwrap,
];

/** The driver rule with this id, or undefined. */
export const driverRuleOf = (id: string): DriverRule | undefined =>
  DRIVER_RULES.find((r) => r.meta.id === id);
