import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { explain } from "../../../src/domain/diagnosis/explain.js";
import { parseMessage } from "../../../src/domain/diagnosis/parse-message.js";
import { CATEGORIES } from "../../../src/domain/diagnosis/types.js";
import { checkAttestationUrl } from "../../../src/domain/url/check-attestation-url.js";
import { RBAC_BODY } from "../../fixtures/seed-messages.js";

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
