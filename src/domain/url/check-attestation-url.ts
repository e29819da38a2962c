/**
 * Checks an attestation URL against the format the troubleshooting guide (step 3) accepts:
 * `https://<provider>.<region>.attest.azure.net/attest/SgxEnclave`, optionally with
 * `?api-version=2018-09-01-preview` (exactly that version). Pure: the global `URL` parser only.
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

const HOST = /^([a-z0-9-]+)\.([a-z0-9-]+)\.attest\.azure\.net$/;
const STRAY = /['"`<>]/g;

function hostProblems(host: string): UrlProblem[] {
  const expected = "host <provider>.<region>.attest.azure.net (e.g. myprovider.eus.attest.azure.net)";
  if (HOST.test(host)) return [];
  const bad = [...new Set(host.replace(/[a-z0-9.-]/g, ""))];
  if (bad.length > 0)
    return [{ what: `host "${host}" contains ${bad.map((c) => `"${c}"`).join(", ")}`, expected }];
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
  if (url.hash !== "") problems.push({ what: `fragment "${url.hash}"`, expected: "no #fragment" });
  return problems;
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
  if (url.port !== "") problems.push({ what: `port ${url.port}`, expected: "no port (https default 443)" });
  problems.push(...hostProblems(url.hostname), ...pathProblems(url.pathname), ...queryProblems(url));
  if (/\?$/.test(cleaned) && url.search === "")
    problems.push({
      what: 'trailing "?" with no query',
      expected: `no query, or ?api-version=${ATTESTATION_API_VERSION}`,
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
