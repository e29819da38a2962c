/** Strict base64url decoding that names the first bad character the way MAA does. */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

export type DecodeResult =
  | { readonly ok: true; readonly bytes: Uint8Array }
  /** `offset` is 0-based in the input. */
  | { readonly ok: false; readonly offset: number; readonly message: string };

/** Decodes base64url (trailing `=` padding tolerated). */
export function decodeBase64Url(text: string): DecodeResult {
  let end = text.length;
  while (end > 0 && text[end - 1] === "=") end -= 1;
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < end; i += 1) {
    const c = text.charAt(i);
    const v = ALPHABET.indexOf(c);
    if (v < 0) {
      const code = text.codePointAt(i) ?? 0;
      return {
        ok: false,
        offset: i,
        message: `Unknown base64 character: ${code} ('${String.fromCodePoint(code)}')`,
      };
    }
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  if (end % 4 === 1)
    return { ok: false, offset: end - 1, message: "Invalid base64 length: one character too many" };
  return { ok: true, bytes: Uint8Array.from(out) };
}

/** UTF-8 text of base64url input, or the reason it is not. */
export function decodeBase64UrlText(
  text: string,
): { ok: true; text: string } | { ok: false; offset: number; message: string } {
  const r = decodeBase64Url(text);
  if (!r.ok) return r;
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(r.bytes) };
  } catch {
    return { ok: false, offset: 0, message: "The decoded text is not UTF-8" };
  }
}
