/**
 * The attestation and enclave messages of the client drivers, as their resource files word them
 * ({0}, {1} are what the driver fills in). Copied from the drivers' sources, never paraphrased:
 * - Microsoft.Data.SqlClient (also what SSMS shows: SSMS runs on SqlClient):
 *   dotnet/SqlClient, src/Microsoft.Data.SqlClient/src/Resources/Strings.resx
 * - Microsoft JDBC Driver for SQL Server: microsoft/mssql-jdbc,
 *   src/main/java/com/microsoft/sqlserver/jdbc/SQLServerResource.java
 * The ODBC driver is closed source: its own wording is not here; what it passes through from the
 * server (`[Microsoft][ODBC Driver 18 for SQL Server][SQL Server]Enclave attestation failed ...`)
 * is read by the server-error rules.
 */

export type Driver = "Microsoft.Data.SqlClient" | "Microsoft JDBC Driver for SQL Server";

/** One message of one driver: where it is defined and its text with `{n}` placeholders. */
export interface DriverMessage {
  readonly driver: Driver;
  /** Resource name (resx `data name`, or the JDBC resource key). */
  readonly resource: string;
  readonly template: string;
}

export const SQLCLIENT_FILE = {
  repo: "dotnet/SqlClient",
  path: "src/Microsoft.Data.SqlClient/src/Resources/Strings.resx",
  url: "https://github.com/dotnet/SqlClient/blob/main/src/Microsoft.Data.SqlClient/src/Resources/Strings.resx",
} as const;

export const JDBC_FILE = {
  repo: "microsoft/mssql-jdbc",
  path: "src/main/java/com/microsoft/sqlserver/jdbc/SQLServerResource.java",
  url: "https://github.com/microsoft/mssql-jdbc/blob/main/src/main/java/com/microsoft/sqlserver/jdbc/SQLServerResource.java",
} as const;

export const fileOf = (driver: Driver) =>
  driver === "Microsoft.Data.SqlClient" ? SQLCLIENT_FILE : JDBC_FILE;

const sqlclient = (resource: string, template: string): DriverMessage => ({
  driver: "Microsoft.Data.SqlClient",
  resource,
  template,
});
const jdbc = (resource: string, template: string): DriverMessage => ({
  driver: "Microsoft JDBC Driver for SQL Server",
  resource,
  template,
});

const LINK_AE = "https://go.microsoft.com/fwlink/?linkid=2157649";
const LINK_HGS = "https://go.microsoft.com/fwlink/?linkid=2160553";

/** The connection string lacks the attestation URL or protocol (or Always Encrypted itself). */
export const SETTINGS_MISSING: readonly DriverMessage[] = [
  sqlclient(
    "TCE_NoAttestationUrlSpecifiedForEnclaveBasedQuerySpDescribe",
    "Error occurred when reading '{0}' resultset. Attestation URL has not been specified in the connection string, but the query requires enclave computations.  Enclave type is '{1}'. ",
  ),
  sqlclient(
    "TCE_NoAttestationUrlSpecifiedForEnclaveBasedQueryGeneratingEnclavePackage",
    "Error occurred when generating enclave package. Attestation URL has not been specified in the connection string, but the query requires enclave computations.  Enclave type is '{0}'. ",
  ),
  sqlclient(
    "TCE_AttestationProtocolNotSpecifiedForGeneratingEnclavePackage",
    "Error occurred when generating enclave package. Attestation Protocol has not been specified in the connection string, but the query requires enclave computations.",
  ),
  jdbc(
    "R_enclavePropertiesError",
    `The "columnEncryptionSetting" connection property must be enabled, along with valid "enclaveAttestationUrl" and "enclaveAttestationProtocol" connection properties when enabling Always Encrypted with secure enclaves - see ${LINK_AE} for more details.`,
  ),
];

/** The attestation protocol does not fit the enclave type (HGS vs AAS, or none). */
export const PROTOCOL_MISMATCH: readonly DriverMessage[] = [
  sqlclient(
    "TCE_EnclaveProviderNotFound",
    "No enclave provider found for enclave type '{0}' and attestation protocol '{1}'. Please specify the correct attestation protocol in the connection string. ",
  ),
  sqlclient(
    "TCE_AttestationProtocolNotSupportEnclaveType",
    "Failed to initialize connection. The attestation protocol '{0}' does not support the enclave type '{1}'.",
  ),
  jdbc(
    "R_enclaveInvalidAttestationProtocol",
    `The "enclaveAttestationProtocol" is invalid - see ${LINK_AE} for more details.`,
  ),
];

/** The server (database) offers no enclave: not DC-series, or enclave type not configured. */
export const SERVER_NO_ENCLAVE: readonly DriverMessage[] = [
  sqlclient(
    "TCE_EnclaveComputationsNotSupported",
    `You have specified the enclave attestation URL and attestation protocol in the connection string, but the SQL Server in use does not support enclave based computations - see ${LINK_AE} for more details.`,
  ),
  sqlclient(
    "TCE_AttestationURLNotSupported",
    `You have specified the enclave attestation URL in the connection string, but the SQL Server in use does not support enclave based computations - see ${LINK_AE} for more details.`,
  ),
  sqlclient(
    "TCE_AttestationProtocolNotSupported",
    `You have specified the attestation protocol in the connection string, but the SQL Server in use does not support enclave based computations - see ${LINK_AE} for more details.`,
  ),
  sqlclient(
    "TCE_EnclaveTypeNotReturned",
    `You have specified the enclave attestation URL in the connection string, but the SQL Server did not return an enclave type. Please make sure the enclave type is correctly configured in your instance - see ${LINK_AE} for more details.`,
  ),
  jdbc(
    "R_enclaveNotSupported",
    `The SQL Server does not support enclave based computations - see ${LINK_AE} for more details.`,
  ),
];

/** The driver does not know the enclave type the server uses (too old a driver). */
export const ENCLAVE_TYPE_UNSUPPORTED: readonly DriverMessage[] = [
  sqlclient(
    "TCE_EnclaveTypeNotSupported",
    "The enclave type '{0}' returned from the server is not supported.",
  ),
  jdbc(
    "R_enclaveTypeInvalid",
    `The enclave type {0} is invalid or not supported by the driver - see ${LINK_AE} for more details.`,
  ),
];

/** The client could not verify the token's signature with the provider's keys (workflow step 5). */
export const TOKEN_SIGNATURE: readonly DriverMessage[] = [
  sqlclient(
    "AttestationTokenSignatureValidationFailed",
    `The validation of an attestation token failed. The token signature does not match the computed signature using a public key retrieved from the attestation public key endpoint at '{0}'. Verify the DNS mapping for the endpoint - see ${LINK_AE} for more details. If correct, contact Customer Support Services.`,
  ),
  sqlclient(
    "GetAttestationTokenSigningKeysFailed",
    "The validation of an attestation token failed. Cannot retrieve a public key from the attestation public key endpoint, or the retrieved key has an invalid format. Error details: '{0}'.",
  ),
  sqlclient(
    "InvalidAttestationToken",
    "The validation of the attestation token has failed during signature validation. Exception: '{0}'.",
  ),
  jdbc("R_AasJWTError", "An error occured when retrieving and validating the JSON web token."),
];

/** A claim the driver checks is missing or wrong: the attestation policy issued the wrong claims. */
export const TOKEN_CLAIM: readonly DriverMessage[] = [
  sqlclient(
    "InvalidClaimInAttestationToken",
    `The validation of an attestation token failed. Claim '{0}' in the token has an invalid value of '{1}'. Verify the attestation policy - see ${LINK_AE} for more details. If the policy is correct, contact Customer Support Services.`,
  ),
  sqlclient(
    "MissingClaimInAttestationToken",
    `The validation of the attestation token failed. Claim '{0}' is missing in the token. Verify the attestation policy - see ${LINK_AE} for more details. If the policy is correct, contact Customer Support Services.`,
  ),
];

/** Host Guardian Service (VBS enclaves, SQL Server) trust errors: untrusted root, wrong HGS. */
export const HGS_TRUST: readonly DriverMessage[] = [
  sqlclient(
    "VerifyHealthCertificateChainFormat",
    `Failed to build a chain of trust between the enclave host's health report and the HGS root certificate for attestation URL '{0}' with status: '{1}'. Verify the attestation URL matches the URL configured on the SQL Server - see ${LINK_HGS} for more details. If both the client and SQL Server use the same attestation service, contact Customer Support Services.`,
  ),
  sqlclient(
    "GetAttestationSigningCertificateFailedInvalidCertificate",
    `The attestation service returned an expired HGS root certificate for attestation URL '{0}'. Check the HGS root certificate configured for your HGS instance - see ${LINK_HGS} for more details.`,
  ),
  sqlclient(
    "GetAttestationSigningCertificateRequestFailedFormat",
    `The obtained HGS root certificate for attestation URL '{0}' has an invalid format. Verify the attestation URL is correct and the HGS server is online and fully initialized - see ${LINK_HGS} for more details. For additional support contact Customer Support Services. Error details: '{1}'.`,
  ),
  sqlclient(
    "VerifyEnclaveReportFailed",
    `Signature verification of the enclave report failed. The report signature does not match the signature computed using the HGS root certificate. Verify the DNS mapping for the endpoint - see ${LINK_HGS} for more details. If correct, contact Customer Support Services.`,
  ),
  jdbc(
    "R_InvalidHealthCert",
    `Enclave attestation failed, the health report certificate provided in the enclave was not signed by the HGS - see ${LINK_HGS} for more details.`,
  ),
  jdbc(
    "R_HealthCertError",
    `Enclave attestation failed, could not retrieve health report certificates provided in the enclave: {0} - see ${LINK_HGS} for more details.`,
  ),
];

/** The attestation service is busy (for Azure SQL: MAA). */
export const SERVER_BUSY: readonly DriverMessage[] = [
  sqlclient("FailToCreateEnclaveSession", "Failed to create enclave session as attestation server is busy."),
];

/**
 * The enclave session could not be set up for a reason inside the driver or the server (the
 * drivers say "contact Customer Support Services"), or the server returned no attestation result
 * (its own 373xx error was not pasted).
 */
export const SESSION_FAILED: readonly DriverMessage[] = [
  sqlclient(
    "TCE_AttestationInfoNotReturnedFromSQLServer",
    "Attestation information was not returned by SQL Server. Enclave type is '{0}' and enclave attestation URL is '{1}'.",
  ),
  sqlclient(
    "TCE_UnexpectedDescribeParamFormatAttestationInfo",
    "Internal error. The result returned by '{0}' is invalid. The attestation information resultset is missing for enclave type '{1}'. ",
  ),
  sqlclient(
    "TCE_NullEnclaveSessionReturnedFromProvider",
    "Unable to communicate with the enclave. Null enclave session information received from the enclave provider. Enclave type is '{0}' and enclave attestation URL is '{1}'.",
  ),
  sqlclient(
    "ExpiredAttestationToken",
    "The validation of an attestation token failed. The token received from SQL Server is expired. Contact Customer Support Services.",
  ),
  sqlclient(
    "FailToParseAttestationToken",
    "The validation of an attestation token failed. The token has an invalid format. Contact Customer Support Services. Error details: '{0}'.",
  ),
  sqlclient(
    "FailToParseAttestationInfo",
    "The validation of an attestation information failed. The attestation information has an invalid format. Contact Customer Support Services. Error details: '{0}'.",
  ),
  sqlclient(
    "GetSharedSecretFailed",
    "Signature verification of the enclave's Diffie-Hellman key failed. Contact Customer Support Services.",
  ),
  sqlclient(
    "VerifyEnclaveKeyBindingFailed",
    `Enclave attestation failed because the signed enclave report did not bind to the enclave public key used to establish the session. The enclave public key must match the value committed to by the signed report - see ${LINK_HGS} for more details. If correct, contact Customer Support Services.`,
  ),
  sqlclient(
    "VerifyEnclaveReportFormatFailed",
    "The enclave report received from SQL Server is not in the correct format. Contact Customer Support Services.",
  ),
  jdbc("R_AasEhdError", "aas-ehd claim from JWT did not match enclave public key."),
  jdbc("R_VbsRpDataError", "rp_data claim from JWT did not match client nonce."),
  jdbc(
    "R_InvalidDHKeySignature",
    `Enclave attestation failed, the DH public key signature can't be verified with the enclave public key - see ${LINK_AE} for more details.`,
  ),
  jdbc(
    "R_InvalidSignedStatement",
    `Enclave attestation failed, the statement bytes were not signed by the health certificate - see ${LINK_HGS} for more details.`,
  ),
  jdbc("R_MalformedECDHHeader", "Unexpected values for ECDH public key header from the server."),
  jdbc(
    "R_EnclaveResponseLengthError",
    `More bytes from the server were received than expected when parsing the enclave attestation response - see ${LINK_AE} for more details.`,
  ),
];

/** Column encryption key unwrap failed (Key Vault permissions, key store): not attestation. */
export const KEY_UNWRAP: readonly DriverMessage[] = [
  sqlclient(
    "TCE_KeyDecryptionFailed",
    "Failed to decrypt a column encryption key using key store provider: '{0}'. Verify the properties of the column encryption key and its column master key in your database. The last 10 bytes of the encrypted column encryption key are: '{1}'.",
  ),
  sqlclient(
    "TCE_KeyDecryptionFailedCertStore",
    "Failed to decrypt a column encryption key using key store provider: '{0}'. The last 10 bytes of the encrypted column encryption key are: '{1}'.",
  ),
  jdbc("R_DecryptCEKError", "Unable to decrypt column encryption key using specified Azure Key Vault key."),
];

/** A driver message found in a text: which one, and what the driver filled in. */
export interface DriverHit {
  readonly message: DriverMessage;
  /** The values of {0}, {1}, ... as they appear in the text (trimmed). */
  readonly values: readonly string[];
}

const escapeRegExp = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The template as a pattern over the pasted text: case-insensitive, any whitespace (line wraps,
 * non-breaking spaces) tolerated between any two characters, `{n}` capturing what was filled in.
 */
function patternOf(template: string): RegExp {
  const parts = template.trim().split(/(\{\d+\})/);
  const body = parts
    .map((part) =>
      /^\{\d+\}$/.test(part)
        ? "([\\s\\S]*?)"
        : [...part.replace(/\s+/g, "")].map(escapeRegExp).join("\\s*") + (part.endsWith(" ") ? "\\s*" : ""),
    )
    .join("\\s*");
  return new RegExp(body, "i");
}

const PATTERNS = new Map<DriverMessage, RegExp>();

/** The first of `messages` found in `text`, with the values filled in; null when none is. */
export function findDriverMessage(text: string, messages: readonly DriverMessage[]): DriverHit | null {
  for (const message of messages) {
    let re = PATTERNS.get(message);
    if (!re) {
      re = patternOf(message.template);
      PATTERNS.set(message, re);
    }
    const m = re.exec(text);
    if (m) return { message, values: m.slice(1).map((v) => v.replace(/\s+/g, " ").trim()) };
  }
  return null;
}
