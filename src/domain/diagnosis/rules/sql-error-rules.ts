/**
 * Rules for the attestation errors SQL reports (37324, 37303, 37325, 37309), in telemetry and in
 * what the customer sees in SSMS or their application. Source: the troubleshooting guide, step 4.
 */
import { recommendedPolicyText } from "../../policy/recommended.js";
import { mentions, type ParsedMessage, statedMaaCode } from "../parse-message.js";
import type { RuleMeta } from "../types.js";
import { MAA_TSG, type MessageRule, OWNER, SEED, TSG } from "./rule.js";

/** Error ids of attestation failures (the failure query asks for exactly these). */
export const ATTESTATION_ERROR_IDS = [37324, 37303, 37325, 37309] as const;

/**
 * Microsoft's recommended attestation policy for Always Encrypted SGX enclaves in Azure SQL
 * Database (seed 002; the guide's step 4.3 sample is the same with `x-ms-sgx-svn >= 0`). One
 * source of truth with `attest policy`.
 */
export const RECOMMENDED_POLICY = recommendedPolicyText().trimEnd();

const is37324 = (m: ParsedMessage) => m.errorId === 37324 || mentions(m, "Enclave attestation failed.");

/**
 * The authentication method a 37303 names (`Authentication method: X, status: ...`), as written
 * when it is not wrapped, else in lowercase; null when none is named.
 */
export function authMethodOf(m: ParsedMessage): string | null {
  const compact = /authenticationmethod:([a-z0-9_]+)/.exec(m.compact)?.[1];
  if (compact === undefined) return null;
  const written = /authentication\s*method:\s*([a-z0-9_]+)/i.exec(m.text)?.[1];
  return written !== undefined && written.toLowerCase() === compact ? written : compact;
}
/** No method named, or HttpConnectAndSendRequest (the one the guide's step 4.2 shows). */
const authMethodOk = (m: ParsedMessage) => {
  const method = authMethodOf(m);
  return method === null || method.toLowerCase().startsWith("httpconnectandsendrequest");
};
/** A 37303: SQL failed to obtain the attestation token. */
const isTokenRequestError = (m: ParsedMessage) =>
  m.errorId === 37303 || mentions(m, "obtaining an authentication token for an attestation service");
/** Step 4.2 exactly: status 0x00002ee7 (WinHTTP 12007, name not resolved) from HttpConnectAndSendRequest. */
const isUrlUnreachable = (m: ParsedMessage) => m.code === "0x00002ee7" && authMethodOk(m);

/**
 * The HTTP status each MAA error code word comes with (the MAA error response carries both). A
 * word and a return code that disagree are a conflict the text cannot settle.
 */
export const MAA_CODE_HTTP_STATUS: Readonly<Record<string, number>> = {
  PolicyEvaluationError: 400,
  PolicyParsingError: 400,
  InvalidParameter: 400,
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  TooManyRequests: 429,
  InternalServerError: 500,
};

/**
 * When the MAA error code word (as stated: `Error code: 'X'` / `Code: X`) and the HTTP status of
 * the return code disagree, a sentence naming both; else null.
 */
export function maaCodeConflict(m: ParsedMessage): string | null {
  const word = statedMaaCode(m.text, m.compact);
  if (word === null || m.httpStatus === null || m.code === null) return null;
  const expected = MAA_CODE_HTTP_STATUS[word];
  if (expected === undefined || expected === m.httpStatus) return null;
  return `MAA error code ${word} (HTTP ${expected}) disagrees with return code ${m.code} (HTTP ${m.httpStatus}${m.httpStatus === 429 ? ", throttling" : ""}).`;
}

/** Error numbers of the guide's step 4.5 ("customers should never see these"). */
export const AZURE_DCAP_ERROR_ID = 37325;
export const INTEL_DCAP_ERROR_ID = 37309;

/**
 * "error in Azure DCAP client" / "error in Azure Data Center Attestation Primitives (DCAP) Client",
 * on the compact text (any case, wraps anywhere). A bare "(DCAP) client" is Azure's too: the DCAP
 * client is the Azure library (seed 003); Intel's part is the DCAP (quote verification) library.
 */
const AZURE_DCAP = /errorin(?:the)?azure(?:dcap|datacenterattestationprimitives)|\(?dcap\)?client/;
/** "error in Intel DCAP" / "error in Intel Data Center Attestation Primitives (DCAP)" / "Intel SGX DCAP". */
const INTEL_DCAP = /errorin(?:the)?intel(?:sgx)?(?:dcap|datacenterattestationprimitives)/;

/** The error number decides when there is one; the text only when it names no other DCAP error. */
const isAzureDcap = (m: ParsedMessage) =>
  m.errorId === AZURE_DCAP_ERROR_ID || (m.errorId !== INTEL_DCAP_ERROR_ID && AZURE_DCAP.test(m.compact));
const isIntelDcap = (m: ParsedMessage) =>
  m.errorId === INTEL_DCAP_ERROR_ID ||
  (m.errorId !== AZURE_DCAP_ERROR_ID && INTEL_DCAP.test(m.compact) && !AZURE_DCAP.test(m.compact));

export const azureDcapClientError: MessageRule = {
  explainOnly: false,
  meta: {
    id: "azure-dcap-client-error",
    category: "deployment_issue",
    title: "Azure DCAP client error on the node (37325)",
    why: "Attestation failed in the Azure Data Center Attestation Primitives client on the SQL node; customers should never see this, so it is a deployment issue.",
    mitigation: {
      text: "Not a customer error. Have Customer Support Services validate that the Azure DCAP client is installed and configured properly on the node(s); fail over the database to mitigate meanwhile.",
      commands: [],
    },
    owner: OWNER.css,
    source: { title: `${TSG}, Step 4.5 Other error messages (37325); Azure DCAP error`, ref: SEED.tsg },
    priority: 10,
  },
  matches: isAzureDcap,
};

export const intelDcapError: MessageRule = {
  explainOnly: false,
  meta: {
    id: "intel-dcap-error",
    category: "deployment_issue",
    title: "Intel DCAP error on the node (37309)",
    why: "Attestation failed in Intel Data Center Attestation Primitives on the SQL node; customers should never see this, so it is a deployment issue.",
    mitigation: {
      text: "Not a customer error. Fail over the database and involve the Azure SQL deployment / security team to check the node's Intel DCAP setup.",
      commands: [],
    },
    owner: OWNER.deployment,
    source: { title: `${TSG}, Step 4.5 Other error messages (37309)`, ref: SEED.tsg },
    priority: 11,
  },
  matches: isIntelDcap,
};

export const filteredArgs: MessageRule = {
  explainOnly: false,
  meta: {
    id: "filtered-args",
    category: "needs_info",
    title: "Telemetry hides the details ([Filtered Args])",
    why: "The errorlog logged the message with placeholders (%1..%4) instead of the MAA error code, message, URL and return code, so telemetry alone cannot tell which failure it is.",
    mitigation: {
      text: "Ask the customer for the full error message their client (SSMS or the application) showed, then classify it with `attest explain`.",
      commands: ["attest explain < customer-error.txt"],
    },
    owner: OWNER.support,
    source: { title: `${TSG}, Step 4.1 (Kusto shows [Filtered Args])`, ref: SEED.tsg },
    priority: 20,
  },
  matches: (m) => m.filtered && m.code === null && m.maaCode === null,
};

export const rbacAttestationReaderMissing: MessageRule = {
  explainOnly: false,
  meta: {
    id: "rbac-attestation-reader-missing",
    category: "customer_error",
    title: "Server identity lacks the Attestation Reader role (403, 0x00000193)",
    why: "MAA refused the server's request (Access to /attest/SgxEnclave is denied): the logical server's identity has no Attestation Reader role on the attestation provider.",
    mitigation: {
      text: "Ask the customer to grant the server's managed identity the Attestation Reader role on the attestation provider (<attestation provider name>), then retry.",
      commands: [
        'New-AzRoleAssignment -ObjectId <server identity object id> -RoleDefinitionName "Attestation Reader" -Scope <provider resource id>',
        "# <server identity object id>:\n(Get-AzSqlServer -ResourceGroupName <server resource group> -ServerName <server name>).Identity.PrincipalId\n# <provider resource id>:\n(Get-AzAttestation -Name <attestation provider name> -ResourceGroupName <provider resource group>).Id",
      ],
    },
    owner: OWNER.customer,
    source: { title: `${TSG}, Step 4.1 Return code 0x00000193`, ref: SEED.tsg },
    priority: 30,
  },
  // An explicit return code wins over the words (step 4.4: 0x000001f4 goes to MAA even when the
  // inner message says "Access ... is denied"); so does an explicit MAA error code other than Forbidden.
  matches: (m) =>
    m.code === "0x00000193" ||
    (m.code === null &&
      ((is37324(m) && m.maaCode === "Forbidden") ||
        ((m.maaCode === null || m.maaCode === "Forbidden") &&
          mentions(m, "Access to /attest/SgxEnclave is denied")))),
};

export const attestationUrlUnreachable: MessageRule = {
  explainOnly: false,
  meta: {
    id: "attestation-url-unreachable",
    category: "customer_error",
    title: "Attestation URL could not be reached (37303, 0x00002ee7)",
    why: "The server could not connect to the attestation URL (HttpConnectAndSendRequest failed): usually a wrong attestation URL; also a deleted provider, a provider firewall that blocks Microsoft services, or an intermittent network problem.",
    mitigation: {
      text: "Ask the customer to validate the attestation URL (the provider's Attest URI), check that the provider still exists and that its network rules allow Azure SQL, then try again.",
      commands: [
        "Get-AzAttestation -Name <attestation provider name> -ResourceGroupName <provider resource group>",
      ],
    },
    owner: OWNER.customer,
    source: { title: `${TSG}, Step 4.2 Return code 0x00002ee7`, ref: SEED.tsg },
    priority: 31,
  },
  matches: (m) => isUrlUnreachable(m),
};

/**
 * WinHTTP 12002 (ERROR_WINHTTP_TIMEOUT) from HttpConnectAndSendRequest: the request to MAA timed
 * out. The host resolved (else 12007), so the URL is not the suspect: network or MAA is.
 */
export const attestationRequestTimeout: MessageRule = {
  explainOnly: false,
  meta: {
    id: "attestation-request-timeout",
    category: "needs_info",
    title: "Request to the attestation service timed out (37303, 0x00002ee2)",
    why: "HttpConnectAndSendRequest failed with WinHTTP error 12002 (ERROR_WINHTTP_TIMEOUT): the attestation host was found but did not answer in time, so this points at the network path or Azure Attestation availability, not at a wrong attestation URL.",
    mitigation: {
      text: "Check whether it persists: if it was a burst, retry. If it continues, check Azure Attestation health for the provider's region and the provider's network rules, and escalate to the MAA owner (Azure Security Engineering/Azure Attestation Service) with the attestation URL, times and status.",
      commands: [],
    },
    owner: OWNER.support,
    source: {
      title: `WinHTTP error messages (ERROR_WINHTTP_TIMEOUT 12002 = 0x2ee2; ERROR_WINHTTP_NAME_NOT_RESOLVED 12007 = 0x2ee7); ${TSG}, Step 4.2`,
      ref: "https://learn.microsoft.com/en-us/windows/win32/winhttp/error-messages",
    },
    priority: 34,
  },
  matches: (m) => isTokenRequestError(m) && m.code === "0x00002ee2" && authMethodOk(m),
};

/**
 * A 37303 (error obtaining the attestation token) whose method or status the guide does not
 * describe: only HttpConnectAndSendRequest + 0x00002ee7 is step 4.2. The raw status is quoted in
 * the finding's details.
 */
export const attestationTokenRequestFailed: MessageRule = {
  explainOnly: false,
  meta: {
    id: "attestation-token-request-failed",
    category: "needs_info",
    title: "Attestation token request failed with a status the guide does not describe (37303)",
    why: "SQL could not obtain an attestation token, but the method or status is not step 4.2's HttpConnectAndSendRequest 0x00002ee7 (attestation URL not resolved), so the cause is not known from the text alone.",
    mitigation: {
      text: "Read the method and status quoted below (a WinHTTP error 0x00002exx is a network error; 0x000001xx / 0x000002xx is an HTTP status from the attestation service). Ask the customer for the full error and the attestation URL, check the URL with `attest check --url`, and escalate with the raw status if it is unclear.",
      commands: [],
    },
    owner: OWNER.support,
    source: { title: `${TSG}, Step 4.2 (only status 0x00002ee7 is described)`, ref: SEED.tsg },
    priority: 29,
  },
  matches: (m) => isTokenRequestError(m) && !isUrlUnreachable(m) && !attestationRequestTimeout.matches(m),
};

export const policyEvaluationFailed: MessageRule = {
  explainOnly: false,
  meta: {
    id: "policy-evaluation-failed",
    category: "customer_error",
    title: "Attestation policy rejected the enclave (PolicyEvaluationError, 0x00000190)",
    why: "The enclave's claims do not satisfy the authorization rules of the provider's attestation policy (no Permit claim was issued, or a Deny claim was).",
    mitigation: {
      text: "Ask the customer to compare their attestation policy with the recommended one below (`attest policy` checks a pasted policy against it) and fix it with Set-AzAttestationPolicy. If the customer's policy already is the recommended policy, escalate to the MAA owner (Azure Security Engineering/Azure Attestation Service).",
      commands: [
        RECOMMENDED_POLICY,
        "Get-AzAttestationPolicy -Name <attestation provider name> -ResourceGroupName <provider resource group> -Tee SgxEnclave",
      ],
    },
    owner: OWNER.customer,
    source: {
      title: `${TSG}, Step 4.3 PolicyEvaluationError; recommended policy from "Configure attestation for Always Encrypted using Azure Attestation"`,
      ref: SEED.tsg,
    },
    priority: 32,
  },
  matches: (m) =>
    m.maaCode === "PolicyEvaluationError" ||
    mentions(m, "Policy Evaluation Error has occurred") ||
    mentions(m, "No Permit claim was issued") ||
    (is37324(m) && m.code === "0x00000190" && m.maaCode !== "InvalidParameter"),
};

export const maaInternalError: MessageRule = {
  explainOnly: false,
  meta: {
    id: "maa-internal-error",
    category: "maa_escalation",
    title: "Azure Attestation internal server error (0x000001f4)",
    why: "MAA answered 500 InternalServerError: likely not a customer issue.",
    mitigation: {
      text: 'Escalate to the MAA service owner: "Azure Security Engineering/Azure Attestation Service", with the attestation URL, times and return code.',
      commands: [],
    },
    owner: OWNER.maa,
    source: { title: `${TSG}, Step 4.4 Return code 0x000001f4`, ref: SEED.tsg },
    priority: 33,
  },
  matches: (m) => m.code === "0x000001f4" || m.maaCode === "InternalServerError",
};

export const maaCodeConflictRule: MessageRule = {
  explainOnly: false,
  meta: {
    id: "maa-code-conflict",
    category: "needs_info",
    title: "MAA error code and return code disagree",
    why: "The message names an MAA error code whose HTTP status is not the one the return code encodes (the details name both), so the text does not say which failure it is.",
    mitigation: {
      text: "Do not act on either alone. Ask the customer for the complete error message again (or read the errorlog row) and compare the MAA error code with the return code; if they still disagree, escalate to the MAA owner (Azure Security Engineering/Azure Attestation Service) with both, the attestation URL and times.",
      commands: [],
    },
    owner: OWNER.support,
    source: {
      title: `${MAA_TSG} (error response = HTTP status + code + message); ${TSG}, Step 4`,
      ref: SEED.maaTroubleshooting,
    },
    priority: 28,
  },
  matches: (m) => maaCodeConflict(m) !== null,
};

export const maaThrottled: MessageRule = {
  explainOnly: false,
  meta: {
    id: "maa-throttled",
    category: "maa_escalation",
    title: "Azure Attestation throttled the request (HTTP 429, 0x000001ad)",
    why: "MAA answered 429 TooManyRequests: the provider is receiving more requests than it allows right now. This is throttling, not a wrong request by the customer.",
    mitigation: {
      text: 'Retry after a while. If 429s persist, escalate to the MAA service owner ("Azure Security Engineering/Azure Attestation Service") with the attestation URL, times and return code.',
      commands: [],
    },
    owner: OWNER.maa,
    source: {
      title: `${MAA_TSG} (error response = HTTP status + code + message); ${TSG}, Step 4`,
      ref: SEED.maaTroubleshooting,
    },
    priority: 35,
  },
  matches: (m) => m.httpStatus === 429 || (m.httpStatus === null && m.maaCode === "TooManyRequests"),
};

export const maaOther4xx: MessageRule = {
  explainOnly: false,
  meta: {
    id: "maa-other-4xx",
    category: "customer_error",
    title: "Azure Attestation rejected the request (other 4xx)",
    why: "The return code is an HTTP 4xx status from MAA: the request (URL, provider, policy or permissions) is wrong on the customer side.",
    mitigation: {
      text: "Ask the customer to check the attestation URL, that the provider exists, its policy and the server identity's Attestation Reader role; the MAA error code and message in the customer's error say which.",
      commands: [],
    },
    owner: OWNER.customer,
    source: {
      title: `${MAA_TSG} (error response = HTTP status + code + message); ${TSG}, Step 4`,
      ref: SEED.maaTroubleshooting,
    },
    priority: 80,
  },
  matches: (m) => m.httpStatus !== null && m.httpStatus >= 400 && m.httpStatus < 500,
};

export const maaOther5xx: MessageRule = {
  explainOnly: false,
  meta: {
    id: "maa-other-5xx",
    category: "maa_escalation",
    title: "Azure Attestation failed (other 5xx)",
    why: "The return code is an HTTP 5xx status from MAA: the attestation service failed, not the customer.",
    mitigation: {
      text: 'Escalate to the MAA service owner ("Azure Security Engineering/Azure Attestation Service") with the URL, times and return code.',
      commands: [],
    },
    owner: OWNER.maa,
    source: { title: `${MAA_TSG}; ${TSG}, Step 4.4`, ref: SEED.maaTroubleshooting },
    priority: 81,
  },
  matches: (m) => m.httpStatus !== null && m.httpStatus >= 500 && m.httpStatus < 600,
};

export const unrecognisedError: MessageRule = {
  explainOnly: false,
  meta: {
    id: "unrecognised-error",
    category: "needs_info",
    title: "Error not recognised",
    why: "No rule of the troubleshooting guide matches this text, so it needs a person to read it.",
    mitigation: {
      text: "Read the raw text below. If it is an attestation error, ask the customer for the complete message (error number, MAA error code, attestation URL and return code) and run `attest explain` on it.",
      commands: [],
    },
    owner: OWNER.support,
    source: { title: `${TSG}, Step 4`, ref: SEED.tsg },
    priority: 99,
  },
  matches: () => true,
};

export const SQL_ERROR_RULES: readonly MessageRule[] = [
  azureDcapClientError,
  intelDcapError,
  filteredArgs,
  maaCodeConflictRule,
  attestationTokenRequestFailed,
  rbacAttestationReaderMissing,
  attestationUrlUnreachable,
  policyEvaluationFailed,
  maaInternalError,
  attestationRequestTimeout,
  maaThrottled,
  maaOther4xx,
  maaOther5xx,
  unrecognisedError,
];

/** Typed access for callers that need one meta. */
export const metaOf = (rule: MessageRule): RuleMeta => rule.meta;
