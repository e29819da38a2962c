import { describe, expect, it } from "vitest";
import { decodeBase64Url, decodeBase64UrlText } from "../../../src/domain/policy/base64url.js";

describe("decodeBase64Url", () => {
  it.each(["", "f", "fo", "foo", "foob", "fooba", "foobar", "ü>?~ unicode ✓"])("round-trips %j", (s) => {
    const encoded = Buffer.from(s, "utf8").toString("base64url");
    expect(decodeBase64UrlText(encoded)).toEqual({ ok: true, text: s });
    expect(
      decodeBase64UrlText(
        `${Buffer.from(s, "utf8").toString("base64").replace(/\+/g, "-").replace(/\//g, "_")}`,
      ),
    ).toEqual({ ok: true, text: s });
  });

  it("refuses standard base64's + and / with their code", () => {
    expect(decodeBase64Url("ab+c")).toEqual({
      ok: false,
      offset: 2,
      message: "Unknown base64 character: 43 ('+')",
    });
  });

  it("refuses text that is not UTF-8", () => {
    expect(decodeBase64UrlText(Buffer.from([0xff, 0xfe]).toString("base64url")).ok).toBe(false);
  });
});
