import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { explain, splitMessages } from "../../../src/domain/diagnosis/explain.js";
import { parseMessage } from "../../../src/domain/diagnosis/parse-message.js";
import { CATEGORIES } from "../../../src/domain/diagnosis/types.js";
import { checkAttestationUrl } from "../../../src/domain/url/check-attestation-url.js";
import {
  FILTERED_ROW,
  hardWrap,
  INTEL_DCAP_LIBRARY_ROW,
  INTERNAL_ERROR_SSMS,
  POLICY_SSMS,
  RBAC_BODY,
  RBAC_SSMS,
  URL_UNREACHABLE_ROW,
  URL_UNREACHABLE_SSMS,
} from "../../fixtures/seed-messages.js";

/** The step 3 shape, as written: scheme and host in any case, path and query exact. */
function writtenInExpectedShape(url: string): boolean {
  const host = /^https:\/\/[a-z0-9-]+\.[a-z0-9-]+\.attest\.azure\.net/i.exec(url);
  const rest = host ? url.slice(host[0].length) : null;
  return rest === "/attest/SgxEnclave" || rest === "/attest/SgxEnclave?api-version=2018-09-01-preview";
}

const VALID_URL = "https://p.eus.attest.azure.net/attest/SgxEnclave?api-version=2018-09-01-preview";

/** SQL attestation messages of the guide, each one message. */
const SQL_MESSAGES = [
  RBAC_SSMS,
  RBAC_BODY,
  URL_UNREACHABLE_SSMS,
  URL_UNREACHABLE_ROW,
  POLICY_SSMS,
  INTERNAL_ERROR_SSMS,
  FILTERED_ROW,
  INTEL_DCAP_LIBRARY_ROW,
  "Msg 37325, Level 16, State 1, Line 1\nEnclave attestation failed due to an error in Azure Data Center Attestation Primitives (DCAP) Client.",
];

/** Text built from the pieces real messages are made of, so the parser's paths are exercised. */
const messageLike = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "Msg 37324, Level 16, State 57, Line 1",
        "Error: 37303, Severity: 16, State: 21.",
        "Attestation URL: '",
        "'. Return code: '0x",
        "00000193",
        "[Filtered Args]",
        "%3",
        "Error code: '",
        "PolicyEvaluationError",
        "https://p.eus.attest.azure.net/attest/SgxEnclave",
        "\n",
        "  ",
        "'",
        "<",
        ">",
      ),
      fc.string({ maxLength: 20 }),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(""));

describe("robustness (property-based)", () => {
  it("parseMessage never throws and its code is always normalised", () => {
    fc.assert(
      fc.property(messageLike, (text) => {
        const m = parseMessage(text);
        if (m.code !== null) expect(m.code).toMatch(/^0x[0-9a-f]{8}$/);
        if (m.httpStatus !== null) expect(m.httpStatus).toBeGreaterThanOrEqual(100);
      }),
    );
  });

  it("explain always answers with at least one finding and a verdict that is the most urgent one", () => {
    fc.assert(
      fc.property(messageLike, (text) => {
        const d = explain(text);
        expect(d.findings.length).toBeGreaterThan(0);
        const worst = Math.min(...d.findings.map((f) => CATEGORIES.indexOf(f.category)));
        expect(d.verdict).toBe(CATEGORIES[worst]);
        expect(d.verdict).not.toBe("healthy");
      }),
    );
  });

  it("checkAttestationUrl never throws; ok only for the expected shape", () => {
    fc.assert(
      fc.property(fc.oneof(messageLike, fc.webUrl()), (url) => {
        const r = checkAttestationUrl(url);
        if (r.ok)
          expect(url).toMatch(/^https:\/\/[a-z0-9-]+\.[a-z0-9-]+\.attest\.azure\.net\/attest\/SgxEnclave/i);
      }),
    );
  });

  it("checkAttestationUrl: ok only when the text is written exactly in the step 3 shape", () => {
    fc.assert(
      fc.property(fc.oneof(messageLike, fc.webUrl()), (url) => {
        if (checkAttestationUrl(url).ok) expect(writtenInExpectedShape(url)).toBe(true);
      }),
    );
  });

  it("checkAttestationUrl: any character inserted into a valid URL is caught unless the shape still holds", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: VALID_URL.length }),
        fc
          .array(
            fc.oneof(
              // What the WHATWG parser silently repairs or drops (review item 3).
              fc.constantFrom(
                "\u200B",
                "\u00AD",
                "\uFEFF",
                "\u2060",
                "#",
                "&",
                "/",
                "\\",
                "./",
                "../x/..",
                ":443",
                ":",
              ),
              fc.constantFrom("%2D", "%53", "%2F", "?", "\uFF4D", "\u0301", "\t"),
              fc.string({ unit: "binary", minLength: 1, maxLength: 2 }),
            ),
            { minLength: 1, maxLength: 3 },
          )
          .map((parts) => parts.join("")),
        (at, inserted) => {
          const url = VALID_URL.slice(0, at) + inserted + VALID_URL.slice(at);
          expect(checkAttestationUrl(url).ok).toBe(writtenInExpectedShape(url));
        },
      ),
    );
  });

  it("messages pasted back to back (any separator, any wrap width) are each classified", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...SQL_MESSAGES), { minLength: 1, maxLength: 4 }),
        fc.constantFrom("\n", "\n\n", " ", "\r\n", "\t", "\n> "),
        fc.option(fc.integer({ min: 20, max: 120 })),
        (messages, separator, width) => {
          const joined = messages.join(separator);
          const text = width === null ? joined : hardWrap(joined, width);
          expect(splitMessages(text)).toHaveLength(messages.length);
          const expected = new Set(messages.flatMap((m) => explain(m).findings.map((f) => f.rule)));
          expect(new Set(explain(text).findings.map((f) => f.rule))).toEqual(expected);
        },
      ),
    );
  });

  it("wrapping the 4.1 message at any width keeps the RBAC diagnosis", () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 120 }), (width) => {
        const flat = RBAC_BODY;
        const wrapped = flat.replace(new RegExp(`(.{${width}})`, "g"), "$1\n");
        expect(explain(wrapped).findings.map((f) => f.rule)).toEqual(["rbac-attestation-reader-missing"]);
      }),
    );
  });
});
