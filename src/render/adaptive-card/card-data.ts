/**
 * DiagnosisView -> the data bound to `cards/diagnosis.json`. Pure: reads only the view; the limits
 * decide how much evidence, KQL and text fit (the renderer tightens them to stay under 40 KB).
 */
import type { DiagnosisView, FindingView } from "../../domain/view/check-view.js";
import { evidenceCause, formatInstant } from "../../domain/view/check-view.js";
import type { Tone } from "../../domain/view/labels.js";
import { chatCommand } from "../chat-command.js";
import { localizeTimes, teamsTime } from "../time.js";
import { escapeMarkdown, escapeProse } from "./markdown.js";

/**
 * Prose shown literally (escapeMarkdown), with its UTC instants as Adaptive Card DATE/TIME
 * functions so the reader sees local time. Code never goes through here: it is bound to TextRuns
 * (RichTextBlock), which Teams does not read as Markdown, so `<placeholders>`, `=~` and `#` stay.
 */
const md = (text: string) => localizeTimes(escapeMarkdown(text), teamsTime);
/** Prose the rules write: `code spans` in bold (Teams has no inline code), the rest as `md`. */
const prose = (text: string) => localizeTimes(escapeProse(text), teamsTime);

export interface CardLimits {
  /** Evidence table rows (newest first); the rest are counted in a note. */
  readonly evidenceRows: number;
  /** Characters of each evidence message excerpt. */
  readonly excerptChars: number;
  /** Characters of KQL shown per query; 0 = the KQL section lists names only. */
  readonly kqlChars: number;
  /** Findings shown in full; the rest are counted in the footer. */
  readonly findings: number;
  /** Characters of each finding's free text (why, mitigation, details, commands). */
  readonly textChars: number;
}

/** The diagnosis rule whose card offers "Check a policy" (issue 7: `check` links to the policy check). */
export const POLICY_EVALUATION_RULE = "policy-evaluation-failed";

export const DEFAULT_LIMITS: CardLimits = {
  evidenceRows: 25,
  excerptChars: 160,
  kqlChars: 2000,
  findings: 10,
  textChars: 1500,
};

/**
 * For each tone: the Adaptive Card container style, and the colour of text in that tone on the
 * card's default background. Teams' palette (as Agents Playground draws it) has Good #92C353 and
 * Warning #F8D22A, 2.1:1 and 1.5:1 on white: such text could hardly be read, so it stays Default
 * and the tone shows in the banner's background and the label. Attention #C4314B and Accent
 * #6264A7 read (over 5:1). On a tone's own background text is always Default.
 */
export const TONE_STYLE: Readonly<Record<Tone, { style: string; color: string }>> = {
  good: { style: "good", color: "Default" },
  warning: { style: "warning", color: "Default" },
  attention: { style: "attention", color: "Attention" },
  accent: { style: "accent", color: "Accent" },
};

/**
 * A block of code (command, KQL) for one monospace TextRun: shown exactly as written (a TextRun
 * is never Markdown), line breaks kept, trailing spaces dropped.
 */
export function codeText(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .join("\n");
}

interface Fact {
  readonly title: string;
  readonly value: string;
}

export interface DiagnosisCardData {
  readonly banner: {
    readonly style: string;
    readonly color: string;
    readonly title: string;
    readonly headline: string;
    readonly subject: string;
  };
  readonly facts: readonly Fact[];
  readonly findings: readonly {
    readonly number: number;
    readonly title: string;
    readonly label: string;
    readonly color: string;
    readonly why: string;
    readonly facts: readonly Fact[];
    readonly details: readonly { readonly text: string }[];
    readonly mitigation: string;
    /** Code, bound to monospace TextRuns (not Markdown). */
    readonly commands: readonly { readonly code: string }[];
    readonly source: string;
  }[];
  readonly evidence: {
    readonly total: number;
    readonly shown: number;
    /** `time` and `message` are Markdown (escaped; DATE/TIME); node and code are TextRuns, shown literally. */
    readonly rows: readonly {
      readonly time: string;
      readonly node: string;
      readonly errorId: string;
      readonly code: string;
      readonly message: string;
    }[];
    readonly note: string;
  };
  /** `code` is the KQL (or what to run to get it), bound to a monospace TextRun. */
  readonly queries: readonly { readonly title: string; readonly code: string }[];
  readonly footer: string;
  /**
   * Optional parts as 0- or 1-element lists bound with `$data` (the templating library reports a
   * warning for every false `$when`, so `$when` is not used).
   */
  readonly optional: {
    readonly rerun: readonly { readonly command: string }[];
    /** "Check a policy" (the policy input card) when the attestation policy rejected the enclave. */
    readonly policyCheck: readonly object[];
    readonly explorer: readonly { readonly url: string }[];
    readonly evidence: readonly object[];
    readonly table: readonly DiagnosisCardData["evidence"][];
    readonly kql: readonly object[];
    /** What was cut from the KQL (Markdown) and the command that prints it all (a TextRun). */
    readonly kqlNote: readonly { readonly text: string; readonly code: string }[];
  };
}

/** Cuts `text` to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;
}

/** One line, whitespace collapsed, clipped. */
export function excerpt(text: string, max: number): string {
  return clip(text.replace(/\s+/g, " ").trim(), max);
}

/** Adaptive Card markdown: a link when the source has a URL (ours, from the rule catalog). */
function sourceText(f: FindingView): string {
  const title = md(f.source.title.replace(/[[\]]/g, ""));
  const url = f.source.url?.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return url ? `Source: [${title}](${url})` : `Source: ${title}`;
}

/** Facts with title and value shown literally. */
const literalFacts = (facts: readonly Fact[]): Fact[] =>
  facts.map((f) => ({ title: md(f.title), value: md(f.value) }));

function findingFacts(f: FindingView, limits: CardLimits): Fact[] {
  const facts: Fact[] = [];
  if (f.occurrence) facts.push({ title: "Seen", value: f.occurrence });
  else if (f.count > 1) facts.push({ title: "Count", value: String(f.count) });
  if (f.nodes.length > 0) {
    const shown = f.nodes.slice(0, 5).join(", ");
    const more = f.nodes.length > 5 ? ` and ${f.nodes.length - 5} more` : "";
    facts.push({ title: "Nodes", value: clip(shown + more, limits.textChars) });
  }
  facts.push({ title: "Owner", value: f.owner });
  return facts;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The bound data of the diagnosis card for `view` within `limits`. */
export function diagnosisCardData(
  view: DiagnosisView,
  limits: CardLimits = DEFAULT_LIMITS,
): DiagnosisCardData {
  const tone = TONE_STYLE[view.verdict.tone];
  const v = view.verdict;
  const subject =
    view.kind === "check"
      ? `attest check ${view.subject}${view.database ? ` / ${view.database}` : ""}`
      : "attest explain (pasted error)";
  const facts: Fact[] = [{ title: "Whose move", value: v.whoseMove }];
  if (view.database) facts.push({ title: "Database", value: view.database });
  if (view.attestationUrl) facts.push({ title: "Attestation URL", value: view.attestationUrl });
  if (view.window) facts.push({ title: "Window", value: view.window });
  if (view.freshness) facts.push({ title: "Data", value: view.freshness });
  if (view.cached) facts.push({ title: "Cached", value: view.cached });

  // Everything bound below is shown literally (escapeMarkdown): it quotes telemetry (node names,
  // messages, codes) and the user's own input (server, database, URL). Only `source` and the KQL
  // note are Markdown we write.
  const shownFindings = view.findings.slice(0, limits.findings);
  const findings = shownFindings.map((f, i) => ({
    number: i + 1,
    title: md(f.title),
    label: md(f.categoryLabel),
    color: TONE_STYLE[f.tone].color,
    why: prose(clip(f.why, limits.textChars)),
    facts: literalFacts(findingFacts(f, limits)),
    details: f.details.map((d) => ({ text: md(clip(d, limits.textChars)) })),
    mitigation: prose(clip(f.mitigation, limits.textChars)),
    commands: f.commands.map((c) => ({ code: codeText(clip(chatCommand(c), limits.textChars)) })),
    source: sourceText(f),
  }));

  // What prints every row and every query in full: the CLI's JSON report (`queries[].kql`).
  const fullKql = view.fullReportCommand;
  const total = view.evidence.length;
  const rows = view.evidence.slice(0, limits.evidenceRows).map((e) => ({
    // Time, error and cause are Markdown TextBlocks: a lone "-" there is a list item (a bullet),
    // so it is escaped; node and code are TextRuns, never Markdown.
    time: e.timestamp ? md(formatInstant(e.timestamp)) : md("-"),
    node: e.node || "-",
    errorId: e.errorId === null ? md("-") : String(e.errorId),
    code: e.code || "-",
    // Prose that must wrap anywhere (long URLs): a Markdown TextBlock, escaped.
    message: md(excerpt(evidenceCause(e.message), limits.excerptChars)) || md("-"),
  }));
  const left = total - rows.length;
  const note =
    total === 0
      ? "No evidence rows."
      : left > 0
        ? `Showing the ${plural(rows.length, "newest row")} of ${total}; ${plural(left, "row")} left out to fit the card.${fullKql ? ` All of them: ${md(fullKql)}` : ""}`
        : `${plural(total, "row")}, newest first.`;

  const queries = view.queries.map((q) => {
    const status =
      q.status === "ok" ? `${plural(q.rows, "row")}, ${q.ms} ms` : `FAILED: ${q.note ?? "no answer"}`;
    const request = q.requestId ? `, request ${q.requestId}` : "";
    const text = limits.kqlChars > 0 ? clip(q.text.trim(), limits.kqlChars) : "";
    return {
      title: md(`${q.name} (${status}${request})`),
      code: codeText(text || "// KQL left out to fit the card; see the note below."),
    };
  });
  const cutKql = view.queries.filter((q) => q.text.trim().length > limits.kqlChars).length;
  const kqlNote =
    cutKql === 0
      ? null
      : {
          text: `${limits.kqlChars > 0 ? `${plural(cutKql, "query was", "queries were")} shortened` : "The KQL was left out"} to fit the card.${fullKql ? " The CLI prints every query in full:" : ""}`,
          code: fullKql ?? "",
        };

  const footerParts: string[] = [];
  const hiddenFindings = view.findings.length - shownFindings.length;
  if (hiddenFindings > 0)
    footerParts.push(`${plural(hiddenFindings, "more finding")} left out to fit the card.`);
  footerParts.push(`Generated ${md(formatInstant(view.generatedAt))}.`);

  const evidence = { total, shown: rows.length, rows, note };
  return {
    banner: {
      style: tone.style,
      color: tone.color,
      title: `${v.icon} ${md(v.label)}`,
      headline: md(v.headline),
      subject: md(subject),
    },
    facts: literalFacts(facts),
    findings,
    evidence,
    queries,
    footer: footerParts.join(" "),
    optional: {
      rerun: view.rerunCommand ? [{ command: view.rerunCommand }] : [],
      policyCheck: view.findings.some((f) => f.rule === POLICY_EVALUATION_RULE) ? [{}] : [],
      explorer: view.explorerUrl ? [{ url: view.explorerUrl }] : [],
      evidence: total > 0 ? [{}] : [],
      table: rows.length > 0 ? [evidence] : [],
      kql: queries.length > 0 ? [{}] : [],
      kqlNote: kqlNote ? [kqlNote] : [],
    },
  };
}
