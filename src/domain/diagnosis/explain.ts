/**
 * `explain`: classifies a pasted error text (SSMS, application, errorlog, MAA or PowerShell
 * output) with the same rules as `check`. No Kusto facts: only what the text says.
 */
import { checkAttestationUrl, providerOf } from "../url/check-attestation-url.js";
import { buildFinding, sortFindings } from "./build-finding.js";
import { mentions, parseMessage } from "./parse-message.js";
import { classify, priorityOf } from "./rules/catalog.js";
import { type DriverHit, fileOf } from "./rules/driver-messages.js";
import { driverRuleOf } from "./rules/driver-rules.js";
import { attestationUrlMalformed, ENCLAVE_LOADED_ERROR_ID, urlProblemDetails } from "./rules/fact-rules.js";
import {
  attestationTokenRequestFailed,
  authMethodOf,
  maaCodeConflict,
  unrecognisedError,
} from "./rules/sql-error-rules.js";
import { type Diagnosis, type Evidence, type Finding, mostUrgent, type RuleMeta } from "./types.js";

const RAW_DETAIL_MAX = 2000;

/** `phrase` as a pattern that tolerates a line wrap (any whitespace) between any two characters. */
const loose = (phrase: string): string =>
  [...phrase.replace(/\s+/g, "")].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("\\s*");

/** `2021-01-04 23:23:46.94 spid90 ` (optionally `[Filtered Args] `): the errorlog line prefix. */
const LOG_PREFIX = String.raw`(?:\d{4}-\d{2}-\d{2}\s+\d{2}:\d{2}:\d{2}(?:\.\d+)?\s+spid\d+\w*\s+(?:\[Filtered\s*Args\]\s*)?)?`;
const DIGITS = String.raw`(?:\d\s*){3,6}`;

/** Where a message's header starts: `Msg N, Level` (SSMS) or `Error: N, Severity` (errorlog). */
const HEADER = new RegExp(
  `(?<![a-z])${loose("Msg")}\\s*${DIGITS},\\s*${loose("Level")}|${LOG_PREFIX}${loose("Error:")}\\s*${DIGITS},\\s*${loose("Severity")}`,
  "gi",
);
/** Where a message's text starts (the guide's step 4 messages). */
const BODY = new RegExp(
  `${LOG_PREFIX}(?:(${loose("Enclave attestation failed")})|${loose("Internal error occurred")}|${loose("Attestation service returned")})`,
  "gi",
);

/**
 * Splits a paste holding several messages into one text per message. A message is an optional
 * header (`Msg N, Level ...` or an errorlog `Error: N, Severity: ...`) followed by its text,
 * which starts with `Enclave attestation failed`, `Internal error occurred` or (step 4.4 as the
 * customer sees it) `Attestation service returned`. A new message starts at a header once the
 * current one has a header or a text, and at a text once the current one has a text — so a
 * header stays with its text, and rows pasted back to back (as in the guide's tables) come apart.
 * Line wraps anywhere, even inside words, are tolerated.
 */
export function splitMessages(text: string): string[] {
  type Mark = { at: number; end: number; kind: "header" | "body"; eaf: boolean };
  const marks: Mark[] = [
    ...[...text.matchAll(HEADER)].map((m) => ({
      at: m.index,
      end: m.index + m[0].length,
      kind: "header" as const,
      eaf: false,
    })),
    ...[...text.matchAll(BODY)].map((m) => ({
      at: m.index,
      end: m.index + m[0].length,
      kind: "body" as const,
      eaf: m[1] !== undefined,
    })),
  ].sort((a, b) => a.at - b.at);
  const cuts: number[] = [];
  let hasHeader = false;
  let hasBody = false;
  let last: Mark | null = null;
  for (const mark of marks) {
    if (last !== null && mark.at < last.end) continue; // overlapping: a prefix matched twice
    if (mark.kind === "header") {
      if (hasHeader || hasBody) {
        cuts.push(mark.at);
        hasBody = false;
      }
      hasHeader = true;
    } else {
      // "Enclave attestation failed. Attestation service returned ..." is one text.
      const continues = last?.eaf === true && /^[\s.]*$/.test(text.slice(last.end, mark.at));
      if (hasBody && !continues) {
        cuts.push(mark.at);
        hasHeader = false;
      }
      hasBody = true;
    }
    last = mark;
  }
  const parts = [0, ...cuts]
    .map((from, i) => text.slice(from, cuts[i] ?? text.length))
    .filter((p) => p.trim() !== "");
  return parts.length > 0 ? parts : [text];
}

/** Which driver message it is (resource, file) and what the driver filled in. */
function driverDetails(hit: DriverHit): string[] {
  const file = fileOf(hit.message.driver);
  const values = hit.values.flatMap((v, i) => (v === "" ? [] : [`{${i}} = '${v.slice(0, 300)}'`]));
  return [
    `${hit.message.driver} message ${hit.message.resource} (${file.repo}, ${file.path}).`,
    ...(values.length > 0 ? [`Filled in by the driver: ${values.join("; ")}.`] : []),
  ];
}

const EMPTY_DETAIL =
  "Nothing was pasted. Paste the complete error the customer saw: the SSMS 'Msg 37324, Level 16, State ...' block or the application's exception text, including the attestation URL and return code; or an MAA / PowerShell error.";

export function explain(text: string): Diagnosis {
  if (text.trim() === "") {
    return {
      verdict: "needs_info",
      findings: [buildFinding(unrecognisedError.meta, { details: [EMPTY_DETAIL], count: 0 })],
    };
  }
  const groups = new Map<string, { meta: RuleMeta; evidence: Evidence[]; details: string[] }>();
  const add = (meta: RuleMeta, evidence: Evidence | null, details: string[]) => {
    const g = groups.get(meta.id) ?? { meta, evidence: [], details: [] };
    if (evidence) g.evidence.push(evidence);
    g.details.push(...details);
    groups.set(meta.id, g);
  };
  const providers: string[] = [];
  for (const part of splitMessages(text)) {
    const m = parseMessage(part);
    const rule = classify(m);
    const evidence: Evidence = {
      timestamp: m.loggedAt,
      node: null,
      errorId: m.errorId,
      code: m.code,
      message: m.text,
    };
    const urlNotes: string[] = [];
    let urlFlagged = false;
    const driverHit = driverRuleOf(rule.meta.id)?.hit(m) ?? null;
    if (driverHit) urlNotes.push(...driverDetails(driverHit));
    for (const url of m.urls) {
      const provider = providerOf(url);
      if (provider) providers.push(provider);
      // A driver quotes other endpoints too (the provider's key endpoint, an HGS URL): named, not judged.
      if (driverHit) {
        const ok = checkAttestationUrl(url);
        urlNotes.push(
          ok.ok
            ? `Attestation URL ${url} (provider ${ok.provider}, region ${ok.region}).`
            : `URL in the message: ${url}${provider ? ` (provider ${provider})` : ""}.`,
        );
        continue;
      }
      const problems = urlProblemDetails("Attestation URL", url);
      if (problems.length > 0) {
        add(attestationUrlMalformed, evidence, problems);
        urlFlagged = true;
      } else {
        const ok = checkAttestationUrl(url);
        if (ok.ok)
          urlNotes.push(
            `Attestation URL has the expected format (provider ${ok.provider}, region ${ok.region}).`,
          );
      }
    }
    // A paste that is nothing but a malformed URL: the URL finding is the whole answer.
    const bare = (s: string) => s.replace(/['"<>\s]/g, "");
    const onlyUrl = m.urls.length === 1 && bare(m.text) === bare(m.urls[0] ?? "");
    if (onlyUrl && urlFlagged && rule.meta.id === unrecognisedError.meta.id) continue;
    const details =
      rule.meta.id === unrecognisedError.meta.id ? [`Text: ${m.text.slice(0, RAW_DETAIL_MAX)}`] : [];
    if (m.errorId === ENCLAVE_LOADED_ERROR_ID || mentions(m, "Loaded SGX enclave for Always Encrypted"))
      details.push("This is the enclave load event (37308): the SGX enclave loaded, which is not an error.");
    if (m.code) details.push(`Code ${m.code}${m.httpStatus ? ` = HTTP ${m.httpStatus}` : ""}.`);
    const conflict = maaCodeConflict(m);
    if (conflict) details.push(conflict);
    const method = authMethodOf(m);
    if (rule.meta.id === attestationTokenRequestFailed.meta.id)
      details.push(`Authentication method ${method ?? "not given"}, status ${m.code ?? "not given"}.`);
    add(rule.meta, evidence, [...details, ...urlNotes]);
  }
  const context = { provider: providers[0] ?? null };
  const findings: Finding[] = [...groups.values()].map((g) =>
    buildFinding(g.meta, { evidence: g.evidence, details: g.details, context }),
  );
  const sorted = sortFindings(findings, priorityOf);
  return { verdict: mostUrgent(sorted.map((f) => f.category)), findings: sorted };
}
