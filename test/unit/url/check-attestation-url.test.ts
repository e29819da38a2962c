import { describe, expect, it } from "vitest";
import { checkAttestationUrl, providerOf } from "../../../src/domain/url/check-attestation-url.js";

describe("checkAttestationUrl: accepted (TSG step 3)", () => {
  it.each([
    [
      "https://sqlcloudtestsgxattest.us.attest.azure.net/attest/SgxEnclave?api-version=2018-09-01-preview",
      "sqlcloudtestsgxattest",
      "us",
    ],
    ["https://sqlcloudtestsgxattest.us.attest.azure.net/attest/SgxEnclave", "sqlcloudtestsgxattest", "us"],
    [
      "https://sgxattest5pr.eus.attest.azure.net/attest/SgxEnclave?api-version=2018-09-01-preview",
      "sgxattest5pr",
      "eus",
    ],
    ["HTTPS://SGXATTEST5PR.EUS.ATTEST.AZURE.NET/attest/SgxEnclave", "sgxattest5pr", "eus"],
    ["https://sharedweu.weu.attest.azure.net/attest/SgxEnclave", "sharedweu", "weu"],
    // RFC 1123: inner hyphens, a single character and 63 characters are fine.
    ["https://my-provider.uk-s.attest.azure.net/attest/SgxEnclave", "my-provider", "uk-s"],
    ["https://p.u.attest.azure.net/attest/SgxEnclave", "p", "u"],
    [`https://${"a".repeat(63)}.eus.attest.azure.net/attest/SgxEnclave`, "a".repeat(63), "eus"],
  ])("%s → provider %s, region %s", (url, provider, region) => {
    expect(checkAttestationUrl(url)).toEqual({ ok: true, url, provider, region });
  });
});

describe("checkAttestationUrl: rejected, with what is wrong and what is expected", () => {
  it.each([
    ["http://p.eus.attest.azure.net/attest/SgxEnclave", /scheme is http/, /https/],
    ["ftp://p.eus.attest.azure.net/attest/SgxEnclave", /scheme is ftp/, /https/],
    [
      "https://p.attest.azure.net/attest/SgxEnclave",
      /has no region/,
      /<provider>\.<region>\.attest\.azure\.net/,
    ],
    ["https://attestation_url.attest.azure.net/attest/SgxEnclave", /contains "_"/, /<provider>\.<region>/],
    ["https://a.b.eus.attest.azure.net/attest/SgxEnclave", /too many labels/, /<provider>\.<region>/],
    [
      "https://p.eus.attest.azure.com/attest/SgxEnclave",
      /not an Azure Attestation host/,
      /attest\.azure\.net/,
    ],
    [
      "https://p.eus.attest.azure.net/attest/SgxEnclave/",
      /trailing characters "\/" after the path/,
      /\/attest\/SgxEnclave/,
    ],
    ["https://p.eus.attest.azure.net/attest/sgxenclave", /differs in case/, /\/attest\/SgxEnclave/],
    [
      "https://p.eus.attest.azure.net/attest/OpenEnclave",
      /path is "\/attest\/OpenEnclave"/,
      /\/attest\/SgxEnclave/,
    ],
    ["https://p.eus.attest.azure.net", /path is "\/"/, /\/attest\/SgxEnclave/],
    [
      "https://p.eus.attest.azure.net/attest/SgxEnclave?api-version=2020-10-01",
      /api-version is "2020-10-01"/,
      /exactly 2018-09-01-preview/,
    ],
    [
      "https://p.eus.attest.azure.net/attest/SgxEnclave?api-version=2018-09-01-preview'.",
      /trailing characters "\." after the api-version|quote/,
      /./,
    ],
    [
      "https://p.eus.attest.azure.net/attest/SgxEnclave?api-version=2018-09-01-preview)",
      /trailing characters "\)" after the api-version/,
      /exactly 2018-09-01-preview/,
    ],
    [
      "https://p.eus.attest.azure.net/attest/SgxEnclave?api-version=2018-09-01-preview&x=1",
      /unexpected query parameter\(s\) x/,
      /api-version/,
    ],
    [
      "https://p.eus.attest.azure.net/attest/SgxEnclave?api-version=2018-09-01-preview&api-version=2018-09-01-preview",
      /given 2 times/,
      /at most once/,
    ],
    ["https://p.eus.attest.azure.net/attest/SgxEnclave#x", /fragment/, /no #fragment/],
    ["https://p.eus.attest.azure.net:8443/attest/SgxEnclave", /port 8443/, /no port/],
    ["https://u:pw@p.eus.attest.azure.net/attest/SgxEnclave", /credentials/, /no user name/],
    [" https://p.eus.attest.azure.net/attest/SgxEnclave", /leading or trailing whitespace/, /no spaces/],
    ["https://p.eus.attest.azure.net/attest/SgxEnclave ", /leading or trailing whitespace/, /no spaces/],
    ["https://p.eus.attest.azure.net/attest/ SgxEnclave", /whitespace inside the URL/, /no spaces/],
    [
      "'https://p.eus.attest.azure.net/attest/SgxEnclave'",
      /quote or bracket characters \('\)/,
      /without quotes/,
    ],
    [
      '"https://p.eus.attest.azure.net/attest/SgxEnclave"',
      /quote or bracket characters \("\)/,
      /without quotes/,
    ],
    [
      "<https://p.eus.attest.azure.net/attest/SgxEnclave>",
      /quote or bracket characters \(< >\)/,
      /without quotes/,
    ],
    ["https://p.eus.attest.azure.net/attest/SgxEnclave?", /trailing "\?"/, /no query/],
    ["p.eus.attest.azure.net/attest/SgxEnclave", /is not a URL/, /a URL like https:/],
    // Review item 3: texts the WHATWG parser repairs, held to the written shape.
    ["https:/p.eus.attest.azure.net/attest/SgxEnclave", /"https:" is not followed by "\/\/"/, /https:\/\//],
    ["https:p.eus.attest.azure.net/attest/SgxEnclave", /"https:" is not followed by "\/\/"/, /https:\/\//],
    ["https:\\\\p.eus.attest.azure.net\\attest\\SgxEnclave", /backslash/, /forward slashes/],
    [
      "https:///p.eus.attest.azure.net/attest/SgxEnclave",
      /is not written in the expected shape/,
      /exactly https:\/\/<provider>/,
    ],
    ["https://p.eus.attest.azure.net/attest/SgxEnclave#", /fragment "#"/, /no #fragment/],
    ["https://p\u200Beus.attest.azure.net/attest/SgxEnclave", /invisible character\(s\) U\+200B/, /retyped/],
    ["https://p.eus.attest.azure.net\u200B/attest/SgxEnclave", /invisible character\(s\) U\+200B/, /retyped/],
    [
      "https://my\u00ADattest.eus.attest.azure.net/attest/SgxEnclave",
      /invisible character\(s\) U\+00AD/,
      /retyped/,
    ],
    [
      "https://\uFF4D\uFF59attest.eus.attest.azure.net/attest/SgxEnclave",
      /non-ASCII character\(s\) "ｍ" \(U\+FF4D\)/,
      /ASCII/,
    ],
    [
      "https://p.eus.attest.azure.net/attest/x/../SgxEnclave",
      /dot segment/,
      /\/attest\/SgxEnclave \(exactly\)/,
    ],
    ["https://p.eus.attest.azure.net/attest/./SgxEnclave", /dot segment/, /\/attest\/SgxEnclave \(exactly\)/],
    [
      "https://p.eus.attest.azure.net/attest/SgxEnclave?api%2Dversion=2018-09-01-preview",
      /percent-encoded characters in the query/,
      /\?api-version=2018-09-01-preview/,
    ],
    [
      "https://p.eus.attest.azure.net/attest/SgxEnclave?api-version=2018%2D09-01-preview",
      /percent-encoded characters in the query/,
      /\?api-version=2018-09-01-preview/,
    ],
    [
      "https://p.eus.attest.azure.net/attest/SgxEnclave?api-version=2018-09-01-preview&",
      /empty query parameter \(stray "&"\)/,
      /\?api-version=2018-09-01-preview/,
    ],
    [
      "https://p.eus.attest.azure.net/attest/SgxEnclave?&api-version=2018-09-01-preview",
      /empty query parameter/,
      /\?api-version=2018-09-01-preview/,
    ],
    ["https://p.eus.attest.azure.net:443/attest/SgxEnclave", /port 443/, /no port/],
    ["https://p.eus.attest.azure.net:/attest/SgxEnclave", /empty port/, /no port/],
    ["https://p.eus.attest.azure.net/attest/SgxEnclave\u200B", /invisible character/, /retyped/],
    ["%3", /is not a URL/, /a URL like/],
  ])("%s", (url, what, expected) => {
    const r = checkAttestationUrl(url);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.url).toBe(url);
    expect(r.problems.some((p) => what.test(p.what) && expected.test(p.expected))).toBe(true);
  });

  it("reports every problem, not just the first", () => {
    const r = checkAttestationUrl(" http://p.attest.azure.net/attest/sgx?api-version=1 ");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.what)).toHaveLength(5);
  });
});

describe("checkAttestationUrl: every reviewer's repaired URL is rejected (review item 3)", () => {
  it.each([
    "https:/myattest.eus.attest.azure.net/attest/SgxEnclave",
    "https:\\\\myattest.eus.attest.azure.net\\attest\\SgxEnclave",
    "https://myattest.eus.attest.azure.net/attest/SgxEnclave#",
    "https://my\u200Battest.eus.attest.azure.net/attest/SgxEnclave",
    "https://my\u00ADattest.eus.attest.azure.net/attest/SgxEnclave",
    "https:myattest.eus.attest.azure.net/attest/SgxEnclave",
    "https://myattest.eus.attest.azure.net/attest/x/../SgxEnclave",
    "https://myattest.eus.attest.azure.net/attest/SgxEnclave?api%2Dversion=2018-09-01-preview",
    "https://myattest.eus.attest.azure.net/attest/SgxEnclave?api-version=2018-09-01-preview&",
  ])("%j", (url) => {
    expect(checkAttestationUrl(url).ok).toBe(false);
  });

  it("an accepted URL is written exactly in the step 3 shape (scheme and host in any case)", () => {
    for (const url of [
      "https://MyAttest.EUS.attest.azure.net/attest/SgxEnclave",
      "https://myattest.eus.attest.azure.net/attest/SgxEnclave?api-version=2018-09-01-preview",
    ])
      expect(checkAttestationUrl(url).ok).toBe(true);
  });
});

describe("checkAttestationUrl: host labels follow RFC 1123 (review 3 item 11)", () => {
  it.each([
    [
      "https://-p1-.uks.attest.azure.net/attest/SgxEnclave",
      /provider label "-p1-" starts or ends with a hyphen/,
    ],
    [
      "https://-p1.uks.attest.azure.net/attest/SgxEnclave",
      /provider label "-p1" starts or ends with a hyphen/,
    ],
    [
      "https://p1-.uks.attest.azure.net/attest/SgxEnclave",
      /provider label "p1-" starts or ends with a hyphen/,
    ],
    [
      "https://p1.-uks.attest.azure.net/attest/SgxEnclave",
      /region label "-uks" starts or ends with a hyphen/,
    ],
    [
      "https://p1.uks-.attest.azure.net/attest/SgxEnclave",
      /region label "uks-" starts or ends with a hyphen/,
    ],
    ["https://-.uks.attest.azure.net/attest/SgxEnclave", /provider label "-" starts or ends with a hyphen/],
    [
      `https://${"a".repeat(64)}.eus.attest.azure.net/attest/SgxEnclave`,
      /provider label "a{64}" is longer than 63 characters/,
    ],
  ])("%s is rejected: %s", (url, what) => {
    const r = checkAttestationUrl(url);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.what).join("\n")).toMatch(what);
    expect(r.problems.map((p) => p.expected).join("\n")).toMatch(/RFC 1123/);
    expect(providerOf(url)).toBeNull();
  });
});

describe("providerOf", () => {
  it.each([
    ["https://sgxattest5pr.eus.attest.azure.net/attest/SgxEnclave", "sgxattest5pr"],
    ["'https://sgxattest5pr.eus.attest.azure.net/x'", "sgxattest5pr"],
    ["https://attestation_url.attest.azure.net/attest/SgxEnclave", null],
    ["not a url", null],
  ])("%s → %s", (url, provider) => {
    expect(providerOf(url)).toBe(provider);
  });
});
