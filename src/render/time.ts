/**
 * One time format per platform. The view model keeps instants as ISO strings and writes them in
 * its prose as `YYYY-MM-DD HH:MM UTC` (formatInstant); rules may quote raw ISO instants in their
 * details. Each renderer passes its prose through `localizeTimes` with its own format:
 * text `2026-11-24 09:01 UTC`, Teams `{{DATE(…)}} {{TIME(…)}}` (the reader's local time, rendered
 * by the client), Slack `<!date^…^…|fallback>` (likewise). Code (commands, KQL) is never passed here.
 */

/** Formats one instant (epoch ms, whole minutes or seconds) for a platform. */
export type TimeFormat = (ms: number) => string;

const pad = (n: number) => String(n).padStart(2, "0");

/** `2026-11-24 09:01 UTC`: terminals, logs and every fallback. */
export const textTime: TimeFormat = (ms) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
};

/** RFC 3339 without fractional seconds, the only form Adaptive Card DATE/TIME functions accept. */
const rfc3339 = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

/**
 * Adaptive Card date/time functions: Teams (and the adaptivecards renderer) show them in the
 * reader's own time zone and locale. Only in TextBlock and FactSet text (Markdown), not in code.
 */
export const teamsTime: TimeFormat = (ms) => `{{DATE(${rfc3339(ms)}, SHORT)}} {{TIME(${rfc3339(ms)})}}`;

/** Slack date formatting: the reader's time zone; the fallback is the text format. */
export const slackTime: TimeFormat = (ms) =>
  `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${textTime(ms)}>`;

/** `2026-11-24 09:01 UTC` (formatInstant) and `2026-11-24T09:01:05.123Z` (raw ISO), anywhere in prose. */
const INSTANT =
  /\b(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}) UTC\b|T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|\+00:00)(?![\w:]))/g;

/** `text` with every UTC instant written in `format`. */
export function localizeTimes(text: string, format: TimeFormat): string {
  return text.replace(INSTANT, (whole, y, mo, d, h1, mi1, h2, mi2, s2) => {
    const ms = Date.UTC(
      Number(y),
      Number(mo) - 1,
      Number(d),
      Number(h1 ?? h2),
      Number(mi1 ?? mi2),
      Number(s2 ?? 0),
    );
    return Number.isNaN(ms) ? whole : format(ms);
  });
}
