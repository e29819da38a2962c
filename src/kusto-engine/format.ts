/** Kusto's text forms of datetimes and timespans (as on the wire: 7 fractional digits). */

const pad = (n: number, w = 2) => String(Math.trunc(n)).padStart(w, "0");

/** `2021-01-04T22:30:44.3135540Z` from milliseconds since the epoch (sub-ms kept to 100 ns). */
export function formatKustoDatetime(ms: number): string {
  const whole = Math.floor(ms);
  const ticks = Math.round((ms - whole) * 10_000); // 100 ns units within the millisecond
  const d = new Date(whole);
  const fraction = pad(d.getUTCMilliseconds(), 3) + pad(ticks, 4);
  return `${d.toISOString().slice(0, 19)}.${fraction}Z`;
}

/** `[-][d.]hh:mm:ss[.fffffff]` from milliseconds. */
export function formatKustoTimespan(ms: number): string {
  const neg = ms < 0;
  let rest = Math.abs(ms);
  const days = Math.floor(rest / 86_400_000);
  rest -= days * 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  rest -= s * 1000;
  const ticks = Math.round(rest * 10_000);
  const frac = ticks > 0 ? `.${pad(ticks, 7)}` : "";
  return `${neg ? "-" : ""}${days > 0 ? `${days}.` : ""}${pad(h)}:${pad(m)}:${pad(s)}${frac}`;
}

/** Milliseconds from Kusto's timespan text `[-][d.]hh:mm:ss[.fffffff]`; null when it does not parse. */
export function parseKustoTimespan(text: string): number | null {
  const m = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/.exec(text.trim());
  if (!m) return null;
  const [, neg, d, h, min, s, frac] = m;
  const ms =
    Number(d ?? 0) * 86_400_000 +
    Number(h) * 3_600_000 +
    Number(min) * 60_000 +
    Number(s) * 1000 +
    (frac ? Number(`0.${frac}`) * 1000 : 0);
  return neg ? -ms : ms;
}
