/**
 * Validation of every user-supplied field (zod). Each failure says which field, what was given
 * and what is expected, so chat and CLI can print it as is.
 */
import { z } from "zod";

export const MAX_WINDOW_MS = 30 * 86_400_000;

/** A bad input, phrased for the person who typed it. */
export class InputError extends Error {
  readonly field: string;
  readonly given: string;
  readonly expected: string;
  constructor(field: string, given: string, expected: string) {
    super(`${field}: got ${JSON.stringify(given)}; expected ${expected}`);
    this.name = "InputError";
    this.field = field;
    this.given = given;
    this.expected = expected;
  }
}

const SERVER_EXPECTED =
  "an Azure SQL server name: 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen (an FQDN like x.database.windows.net, tcp:x.database.windows.net,1433 or x.privatelink.database.windows.net is fine)";

/** Azure SQL logical server name; an FQDN (`x.database.windows.net`) is reduced to `x`. */
export const serverNameSchema = z
  .string()
  .transform((s) => s.trim())
  // As copied from a connection string: `tcp:` prefix, `,1433` port, private link host.
  .transform((s) => s.replace(/^tcp:/i, "").replace(/,\d{1,5}$/, ""))
  .transform((s) =>
    s.replace(
      /(\.privatelink)?\.database\.(windows\.net|chinacloudapi\.cn|usgovcloudapi\.net|cloudapi\.de)\.?$/i,
      "",
    ),
  )
  .transform((s) => s.toLowerCase())
  .pipe(z.string().regex(/^(?!-)[a-z0-9-]{1,63}(?<!-)$/, SERVER_EXPECTED));

/** Azure SQL database name: 1-128 characters, none of <>*%&:\/? or control characters, not ending in '.' or space. */
export const databaseNameSchema = z
  .string()
  .max(128, "a database name of at most 128 characters")
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused here.
  .regex(/^[^<>*%&:\\/?\u0000-\u001f\u007f]+$/, "a database name without <>*%&:\\/? or control characters")
  .regex(/[^. ]$/, "a database name that does not end with a period or a space");

/** An attestation URL as typed: checked loosely here (length, no control characters); the URL rule judges the rest. */
export const attestationUrlInputSchema = z
  .string()
  .min(1, "a URL")
  .max(2048, "a URL of at most 2048 characters")
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused here.
  .regex(/^[^\u0000-\u0008\u000a-\u001f\u007f]*$/, "a URL on one line without control characters");

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses `90m`, `3h`, `1.5h`, `2d`, `45s` to milliseconds; null when it does not parse. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/i.exec(text.trim());
  if (!m?.[1] || !m[2]) return null;
  const unit = m[2].toLowerCase() as keyof typeof UNIT_MS;
  return Number(m[1]) * UNIT_MS[unit];
}

/** A window length such as `6h`: positive, at most 30 days. */
export const durationSchema = z.string().transform((s, ctx) => {
  const ms = parseDuration(s);
  if (ms === null || ms <= 0 || ms > MAX_WINDOW_MS) {
    ctx.addIssue({ code: "custom", message: "a duration like 30m, 6h or 2d, more than 0 and at most 30d" });
    return z.NEVER;
  }
  return ms;
});

/** An ISO-8601 instant with a time zone, e.g. 2026-11-24T09:00:00Z. */
export const isoInstantSchema = z.string().transform((s, ctx) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?(Z|[+-](\d{2}):(\d{2}))$/.exec(
    s.trim(),
  );
  const ms = Date.parse(s.trim());
  // Date.parse rolls impossible dates over (2026-02-30 is March 2nd): every part must be in range.
  const inRange =
    m !== null &&
    Number(m[2]) >= 1 &&
    Number(m[2]) <= 12 &&
    Number(m[3]) >= 1 &&
    Number(m[3]) <= new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate() &&
    Number(m[4]) <= 23 &&
    Number(m[5]) <= 59 &&
    Number(m[7] ?? 0) <= 59 &&
    Number(m[10] ?? 0) <= 23 &&
    Number(m[11] ?? 0) <= 59;
  if (!inRange || Number.isNaN(ms)) {
    ctx.addIssue({ code: "custom", message: "an ISO-8601 time with a zone, like 2026-11-24T09:00:00Z" });
    return z.NEVER;
  }
  return ms;
});

/** Parses `value` with `schema`, or throws an InputError naming `field`. */
export function parseField<T>(schema: z.ZodType<T, unknown>, field: string, value: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const expected = r.error.issues[0]?.message ?? "a valid value";
  throw new InputError(field, value, expected);
}
