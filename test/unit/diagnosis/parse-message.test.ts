import { describe, expect, it } from "vitest";
import { mentions, parseMessage, statedMaaCode } from "../../../src/domain/diagnosis/parse-message.js";
import { FILTERED_ROW, hardWrap, POLICY_SSMS, RBAC_SSMS } from "../../fixtures/seed-messages.js";

describe("parseMessage", () => {
  it("reads the SSMS framing, return code, HTTP status, MAA code and URL", () => {
    expect(parseMessage(RBAC_SSMS)).toMatchObject({
      errorId: 37324,
      severity: 16,
      state: 57,
      code: "0x00000193",
      httpStatus: 403,
      maaCode: "Forbidden",
      urls: ["https://attestation_url.attest.azure.net/attest/SgxEnclave?api-version=2018-09-01-preview"],
      filtered: false,
      loggedAt: null,
    });
  });

  it("reads the errorlog prefix and placeholders of a [Filtered Args] row", () => {
    expect(parseMessage(FILTERED_ROW)).toMatchObject({
      errorId: 37324,
      severity: 16,
      loggedAt: "2021-01-04T23:23:46.940Z",
      code: null,
      httpStatus: null,
      maaCode: null,
      urls: [],
      filtered: true,
    });
  });

  it.each([
    ["Error code: 'InternalServerError'. Return code: '0x00000193'", "InternalServerError"],
    ["Error code: 'InternalServer\nError'. Return code: '0x00000193'", "InternalServerError"],
    ["Error code: 'TooManyRequests'. Return code: '0x000001ad'", "TooManyRequests"],
    ["Operation returned an invalid status code 'Unauthorized'", null],
  ])("%j states MAA error code %s", (text, code) => {
    expect(statedMaaCode(text)).toBe(code);
  });

  it.each([
    ["Return code: '0x00000193'", "0x00000193", 403],
    ["Return code: '0x000001F4'", "0x000001f4", 500],
    ["return code:0x190", "0x00000190", 400],
    ["Authentication method: HttpConnectAndSendRequest, status: 0x00002ee7.", "0x00002ee7", null],
    ["Return code: '0x%4'", null, null],
    ["Return code: '0x0000\n0193'", "0x00000193", 403],
    // Review 3 item 7: the next pasted row glued to the status by a wrap.
    ["status: 0x00002ee7\n2021-01-05 00:48:31.30 spid73 Error: 37303", "0x00002ee7", null],
    ["status: 0x00002e\ne7 2021-01-05 00:48:31.30 spid73", "0x00002ee7", null],
    ["status: 0x00002ee7\nMsg 37324, Level 16", "0x00002ee7", null],
    ["Return code: '0x000001ad'", "0x000001ad", 429],
  ])("%j → code %s, HTTP %s", (text, code, http) => {
    const m = parseMessage(text);
    expect(m.code).toBe(code);
    expect(m.httpStatus).toBe(http);
  });

  it.each([
    ["Msg 37324, Level 16, State 57, Line 1", 37324],
    ["MSG   37303 ,level 16", 37303],
    ["Ms\ng 37325, Level 16", 37325],
    ["2021-01-05 00:48:31.30 spid73 Error: 37303, Severity: 16, State: 21.", 37303],
    ["Error code: 'Forbidden'", null],
  ])("%j → error id %s", (text, id) => {
    expect(parseMessage(text).errorId).toBe(id);
  });

  it("unwraps a URL broken across lines and strips the Markdown <...> of a quoted URL", () => {
    const m = parseMessage(hardWrap(POLICY_SSMS, 29));
    expect(m.urls).toEqual([
      "https://sgxattest5pr.eus.attest.azure.net/attest/SgxEnclave?api-version=2018-09-01-preview",
    ]);
    expect(m.maaCode).toBe("PolicyEvaluationError");
  });

  it("keeps stray characters typed inside the quotes, for the URL check to see", () => {
    const m = parseMessage(
      "Attestation URL: ' https://p.eus.attest.azure.net/attest/SgxEnclave\"'. Return code: '0x00000190'.",
    );
    expect(m.urls).toEqual([' https://p.eus.attest.azure.net/attest/SgxEnclave"']);
  });

  it.each([
    [
      "a paste that ends right after the quoted URL",
      "Attestation URL: 'https://myattest.eus.attest.azure.net/attest/SgxEnclave'.",
      "https://myattest.eus.attest.azure.net/attest/SgxEnclave",
    ],
    [
      "a quoted URL followed by another sentence instead of the return code",
      "Attestation URL: 'https://p.eus.attest.azure.net/attest/SgxEnclave'. Verify the attestation policy.",
      "https://p.eus.attest.azure.net/attest/SgxEnclave",
    ],
    [
      "a Markdown <...> URL at the end, wrapped",
      "Attestation URL: <https://p.eus.attest.azure.net/attest/Sgx\nEnclave> .",
      "https://p.eus.attest.azure.net/attest/SgxEnclave",
    ],
    [
      "a quoted <...> URL ending the text",
      "Attestation URL: '<https://p.eus.attest.azure.net/attest/SgxEnclave>'",
      "https://p.eus.attest.azure.net/attest/SgxEnclave",
    ],
    [
      "a closing quote missing: kept whole for the URL check",
      "Attestation URL: 'https://p.eus.attest.azure.net/attest/SgxEnclave. Return code: '0x00000193'.",
      "'https://p.eus.attest.azure.net/attest/SgxEnclave",
    ],
    [
      "a quote typed inside the URL is not taken for the closing quote",
      "Attestation URL: 'https://p.eus.attest.azure.net/att'est/SgxEnclave'.",
      "https://p.eus.attest.azure.net/att'est/SgxEnclave",
    ],
  ])("URL: %s (review item 16)", (_name, text, url) => {
    expect(parseMessage(text).urls).toEqual([url]);
  });

  it.each([
    ["Enclave attestation failed due to an error in Intel DCAP library.", 37309, 37309],
    ["Msg 37324, Level 16, State 57", 37309, 37309],
    ["Msg 37324, Level 16, State 57", null, 37324],
    ["Msg 37324, Level 16, State 57", undefined, 37324],
    ["no number here", null, null],
    // Not an error number (an empty Kusto cell, a bad value): the text decides.
    ["Msg 37324, Level 16, State 57", 0, 37324],
    ["Msg 37324, Level 16, State 57", Number.NaN, 37324],
    ["no number here", -1, null],
  ])("%j with a given error id %s → errorId %s (the given id is authoritative)", (text, errorId, id) => {
    expect(parseMessage(text, errorId === undefined ? {} : { errorId }).errorId).toBe(id);
  });

  it("finds MAA codes in PowerShell output and bare words", () => {
    expect(parseMessage("Code: InvalidOperation\nMessage: x").maaCode).toBe("InvalidOperation");
    expect(parseMessage("Error code PolicyParsingError").maaCode).toBe("PolicyParsingError");
    expect(parseMessage("nothing here").maaCode).toBeNull();
  });

  it("mentions() ignores case, whitespace and wraps", () => {
    const m = parseMessage("ACCESS TO /attest/Sgx\nEnclave   is denied");
    expect(mentions(m, "Access to /attest/SgxEnclave is denied")).toBe(true);
    expect(mentions(m, "Access granted")).toBe(false);
  });
});
