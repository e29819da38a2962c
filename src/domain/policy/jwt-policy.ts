/**
 * A policy may be uploaded as a JWT whose `AttestationPolicy` claim is the base64url policy text.
 * This unwraps it (the signature is not checked here: MAA checks it against the policy signers).
 */
import type { PolicyError } from "./ast.js";
import { decodeBase64UrlText } from "./base64url.js";

export type UnwrapResult =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "jwt"; readonly text: string }
  | { readonly kind: "error"; readonly error: PolicyError };

/** Three dot-separated segments, no white space, not starting like policy text. */
export function looksLikeJwt(text: string): boolean {
  const t = text.trim();
  return !/^version\b/.test(t) && !/\s/.test(t) && t.split(".").length === 3;
}

const at = (offset: number, message: string): UnwrapResult => ({
  kind: "error",
  error: { line: 1, column: offset + 1, message },
});

/** Returns policy text: the input itself, or the AttestationPolicy claim of a JWT. */
export function unwrapPolicy(input: string): UnwrapResult {
  if (!looksLikeJwt(input)) return { kind: "text", text: input };
  const token = input.trim();
  const lead = input.indexOf(token);
  const [header = "", payload = ""] = token.split(".");
  for (const [segment, start, name] of [
    [header, 0, "header"],
    [payload, header.length + 1, "payload"],
  ] as const) {
    const decoded = decodeBase64UrlText(segment);
    if (!decoded.ok)
      return at(lead + start + decoded.offset, `Bad message: ${decoded.message} (JWT ${name})`);
    let json: unknown;
    try {
      json = JSON.parse(decoded.text);
    } catch {
      return at(lead + start, `Bad message: the JWT ${name} is not JSON`);
    }
    if (typeof json !== "object" || json === null || Array.isArray(json))
      return at(lead + start, `Bad message: the JWT ${name} is not a JSON object`);
    if (name === "payload") {
      const claim = (json as Record<string, unknown>).AttestationPolicy;
      if (typeof claim !== "string")
        return at(
          lead + start,
          'Bad message: the JWT has no "AttestationPolicy" claim (the base64url policy text) in its payload',
        );
      const text = decodeBase64UrlText(claim);
      if (!text.ok) return at(lead + start, `Bad message: ${text.message} (AttestationPolicy claim)`);
      return { kind: "jwt", text: text.text };
    }
  }
  return at(lead, "Bad message: Malformed JWT");
}
