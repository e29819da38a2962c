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
