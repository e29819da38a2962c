/**
 * Checks an attestation URL against the format the troubleshooting guide (step 3) accepts:
 * `https://<provider>.<region>.attest.azure.net/attest/SgxEnclave`, optionally with
 * `?api-version=2018-09-01-preview` (exactly that version). Pure: the global `URL` parser only.
 *
 * The WHATWG parser repairs what it reads (`https:/host`, backslashes, `x/../`, `%2D`, a trailing
 * `#` or `&`, invisible characters in the host), so the check reads the text as written too: the
 * parsed URL says what is wrong in words, the raw text is held to the exact expected shape.
 */

export const ATTESTATION_PATH = "/attest/SgxEnclave";
export const ATTESTATION_API_VERSION = "2018-09-01-preview";
export const ATTESTATION_URL_EXAMPLE = `https://<provider>.<region>.attest.azure.net${ATTESTATION_PATH}?api-version=${ATTESTATION_API_VERSION}`;

/** One thing wrong with a URL: what is wrong, and what is expected instead. */
export interface UrlProblem {
  readonly what: string;
  readonly expected: string;
}

export type UrlCheck =
  | { readonly ok: true; readonly url: string; readonly provider: string; readonly region: string }
  | { readonly ok: false; readonly url: string; readonly problems: readonly UrlProblem[] };

/** A DNS label (RFC 1123): letters, digits and hyphens, 1..63 long, no hyphen first or last. */
const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOST = new RegExp(`^(${LABEL})\\.(${LABEL})\\.attest\\.azure\\.net$`);
const STRAY = /['"`<>]/g;

function hostProblems(host: string): UrlProblem[] {
  const expected = "host <provider>.<region>.attest.azure.net (e.g. myprovider.eus.attest.azure.net)";
  if (HOST.test(host)) return [];
  const bad = [...new Set(host.replace(/[a-z0-9.-]/g, ""))];
  if (bad.length > 0)
    return [{ what: `host "${host}" contains ${bad.map((c) => `"${c}"`).join(", ")}`, expected }];
  const twoLabels = /^([a-z0-9-]*)\.([a-z0-9-]*)\.attest\.azure\.net$/.exec(host);
  if (twoLabels) {
    const names = ["provider", "region"] as const;
    const labelProblems = names.flatMap((name, i) => {
      const label = twoLabels[i + 1] ?? "";
      if (label === "") return [`empty ${name} label`];
      if (label.length > 63) return [`${name} label "${label}" is longer than 63 characters`];
      if (label.startsWith("-") || label.endsWith("-"))
        return [`${name} label "${label}" starts or ends with a hyphen`];
      return [];
    });
    if (labelProblems.length > 0)
      return [
        {
          what: `host "${host}": ${labelProblems.join("; ")}`,
          expected: `${expected}; each label letters, digits and inner hyphens only (RFC 1123)`,
        },
      ];
  }
  if (/^[a-z0-9-]+\.attest\.azure\.net$/.test(host))
    return [{ what: `host "${host}" has no region`, expected }];
  if (host.endsWith(".attest.azure.net"))
    return [{ what: `host "${host}" has too many labels before attest.azure.net`, expected }];
  return [{ what: `host "${host}" is not an Azure Attestation host`, expected }];
}

function pathProblems(path: string): UrlProblem[] {
  if (path === ATTESTATION_PATH) return [];
  const expected = `path ${ATTESTATION_PATH} (exactly)`;
  if (path.startsWith(ATTESTATION_PATH))
    return [
      { what: `trailing characters "${path.slice(ATTESTATION_PATH.length)}" after the path`, expected },
    ];
  if (path.toLowerCase() === ATTESTATION_PATH.toLowerCase())
    return [{ what: `path "${path}" differs in case`, expected }];
  return [{ what: `path is "${path}"`, expected }];
}

function queryProblems(url: URL): UrlProblem[] {
  const problems: UrlProblem[] = [];
  const expected = `no query, or ?api-version=${ATTESTATION_API_VERSION}`;
  const keys = [...url.searchParams.keys()];
  const others = [...new Set(keys.filter((k) => k !== "api-version"))];
  if (others.length > 0)
    problems.push({ what: `unexpected query parameter(s) ${others.join(", ")}`, expected });
  const versions = url.searchParams.getAll("api-version");
  if (versions.length > 1)
    problems.push({ what: `api-version given ${versions.length} times`, expected: "at most once" });
  const version = versions[0];
  if (version !== undefined && version !== ATTESTATION_API_VERSION) {
    const what = version.startsWith(ATTESTATION_API_VERSION)
      ? `trailing characters "${version.slice(ATTESTATION_API_VERSION.length)}" after the api-version`
      : `api-version is "${version}"`;
    problems.push({ what, expected: `api-version absent or exactly ${ATTESTATION_API_VERSION}` });
  }
  return problems;
}

/** The parts of the URL as written (backslashes kept), without the parser's repairs. */
interface RawParts {
  readonly authority: string;
  readonly path: string;
  /** After `?`, before `#`; null when there is no `?`. */
  readonly query: string | null;
  /** From `#` on; null when there is no `#`. */
  readonly fragment: string | null;
}

function rawParts(s: string): RawParts {
  const hashAt = s.indexOf("#");
  const fragment = hashAt >= 0 ? s.slice(hashAt) : null;
  const beforeHash = hashAt >= 0 ? s.slice(0, hashAt) : s;
  const queryAt = beforeHash.indexOf("?");
  const query = queryAt >= 0 ? beforeHash.slice(queryAt + 1) : null;
  const beforeQuery = queryAt >= 0 ? beforeHash.slice(0, queryAt) : beforeHash;
  const rest = beforeQuery.replace(/^[a-z][a-z0-9+.-]*:[/\\]*/i, "");
  const slashAt = rest.search(/[/\\]/);
  return {
    authority: slashAt >= 0 ? rest.slice(0, slashAt) : rest,
    path: slashAt >= 0 ? rest.slice(slashAt) : "",
    query,
    fragment,
  };
}

const codePoint = (c: string) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;

/** Problems only the written text shows (the parser would silently repair them). */
function rawTextProblems(written: string, url: URL, pathOk: boolean, queryOk: boolean): UrlProblem[] {
  const problems: UrlProblem[] = [];
  const chars = [...written];
  const invisible = [...new Set(chars.filter((c) => /\p{C}/u.test(c)))];
  if (invisible.length > 0)
    problems.push({
      what: `invisible character(s) ${invisible.map(codePoint).join(", ")} in the URL`,
      expected:
        "the URL retyped by hand: invisible characters come from copying out of documents or web pages",
    });
  const foreign = [...new Set(chars.filter((c) => /[^\x20-\x7e]/.test(c) && !/\p{C}/u.test(c)))];
  if (foreign.length > 0)
    problems.push({
      what: `non-ASCII character(s) ${foreign.map((c) => `"${c}" (${codePoint(c)})`).join(", ")} in the URL`,
      expected: "plain ASCII letters, digits and - . / ? = only",
    });
  if (written.includes("\\"))
    problems.push({ what: 'backslash "\\" in the URL', expected: "forward slashes /" });
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(written);
  if (scheme && !written.slice(scheme[0].length).startsWith("//"))
    problems.push({ what: `"${scheme[0]}" is not followed by "//"`, expected: "https:// at the start" });
  const raw = rawParts(written);
  const port = /:(\d*)$/.exec(raw.authority.slice(raw.authority.lastIndexOf("@") + 1));
  if (port)
    problems.push({
      what: port[1] === "" ? 'empty port ":" after the host' : `port ${port[1]}`,
      expected: "no port (https default 443)",
    });
  const path = raw.path.replaceAll("\\", "/");
  if (/(?:^|\/)\.{1,2}(?:\/|$)/.test(path))
    problems.push({
      what: `dot segment ("." or "..") in the path "${raw.path}"`,
      expected: `path ${ATTESTATION_PATH} (exactly)`,
    });
  else if (pathOk && path !== url.pathname)
    problems.push({ what: `path written as "${raw.path}"`, expected: `path ${ATTESTATION_PATH} (exactly)` });
  const query = raw.query ?? "";
  const queryExpected = `no query, or ?api-version=${ATTESTATION_API_VERSION}`;
  if (/%[0-9a-f]{2}/i.test(query))
    problems.push({ what: `percent-encoded characters in the query "?${query}"`, expected: queryExpected });
  if (query !== "" && query.split("&").some((p) => p === ""))
    problems.push({ what: `empty query parameter (stray "&") in "?${query}"`, expected: queryExpected });
  if (raw.query === "") problems.push({ what: 'trailing "?" with no query', expected: queryExpected });
  if (raw.fragment !== null) problems.push({ what: `fragment "${raw.fragment}"`, expected: "no #fragment" });
  if (problems.length === 0 && queryOk && query !== "" && query !== `api-version=${ATTESTATION_API_VERSION}`)
    problems.push({ what: `query written as "?${query}"`, expected: queryExpected });
  return problems;
}

const SHAPE_HOST = /^https:\/\/[a-z0-9-]+\.[a-z0-9-]+\.attest\.azure\.net/i;
const SHAPE_REST = [ATTESTATION_PATH, `${ATTESTATION_PATH}?api-version=${ATTESTATION_API_VERSION}`];

/** The written text has exactly the step 3 shape (scheme and host in any case, path exact). */
function hasExpectedShape(written: string): boolean {
  const host = SHAPE_HOST.exec(written);
  return host !== null && SHAPE_REST.includes(written.slice(host[0].length));
}

/** Checks `raw` (as typed or as quoted in a message): every problem found, or the provider and region. */
export function checkAttestationUrl(raw: string): UrlCheck {
  const problems: UrlProblem[] = [];
  if (raw !== raw.trim())
    problems.push({ what: "leading or trailing whitespace", expected: "the URL alone, no spaces around it" });
  if (/\s/.test(raw.trim()))
    problems.push({ what: "whitespace inside the URL", expected: "no spaces or line breaks in the URL" });
  const stray = raw.match(STRAY);
  if (stray)
    problems.push({
      what: `quote or bracket characters (${[...new Set(stray)].join(" ")}) in the URL`,
      expected: "the URL without quotes or brackets",
    });
  const cleaned = raw.replace(STRAY, "").replace(/\s+/g, "");
  let url: URL;
  try {
    url = new URL(cleaned);
  } catch {
    problems.push({ what: `"${raw}" is not a URL`, expected: `a URL like ${ATTESTATION_URL_EXAMPLE}` });
    return { ok: false, url: raw, problems };
  }
  if (url.protocol !== "https:")
    problems.push({
      what: `scheme is ${url.protocol.replace(/:$/, "")}`,
      expected: "https (the only scheme supported)",
    });
  if (url.username !== "" || url.password !== "")
    problems.push({ what: "credentials in the URL", expected: "no user name or password" });
  const path = pathProblems(url.pathname);
  const query = queryProblems(url);
  problems.push(
    ...hostProblems(url.hostname),
    ...path,
    ...query,
    ...rawTextProblems(cleaned, url, path.length === 0, query.length === 0),
  );
  if (problems.length === 0 && !hasExpectedShape(cleaned))
    problems.push({
      what: `"${raw}" is not written in the expected shape`,
      expected: `exactly ${ATTESTATION_URL_EXAMPLE} (or without the ?api-version)`,
    });
  if (problems.length > 0) return { ok: false, url: raw, problems };
  const host = HOST.exec(url.hostname);
  return { ok: true, url: raw, provider: host?.[1] ?? "", region: host?.[2] ?? "" };
}

/** The provider name in an attestation URL, when its host has the expected shape. */
export function providerOf(raw: string): string | null {
  try {
    return HOST.exec(new URL(raw.replace(STRAY, "").trim()).hostname)?.[1] ?? null;
  } catch {
    return null;
  }
}
