/**
 * The usage line of every chat command, one grammar for Teams, Slack and the CLI (`attest check
 * <server> [database]` works in all three). Help lists them all; a parse error shows only the
 * line of the command that was tried (`usageFor`).
 */

export interface Usage {
  /** e.g. `attest check <server> [database] [--url URL] [--since 6h]`. */
  readonly usage: string;
  readonly description: string;
}

export const USAGES = {
  check: {
    usage: "attest check <server> [database] [--url URL] [--since 6h]",
    description:
      "Diagnoses attestation failures of a server from telemetry: whose move it is and what to do.",
  },
  explain: {
    usage: "attest explain <pasted error text>",
    description: "Explains an error message a customer pasted (several lines are fine). No Kusto query.",
  },
  policy: {
    usage: "attest policy <pasted policy>",
    description:
      "Checks an attestation policy: does it parse, does it let the Azure SQL enclave through, is it as strict as the recommended policy. `attest policy` alone opens a box to paste it in.",
  },
  "digest subscribe": {
    usage:
      'attest digest subscribe [--servers a,b | --all] [--cron "0 9 * * 1-5"] [--tz Europe/London] [--min-failures N] [--quiet-when-clear]',
    description:
      'In a channel: posts a digest of attestation failures on a schedule, e.g. attest digest subscribe --all --cron "0 9 * * 1-5" --tz Europe/London.',
  },
  "digest other": {
    usage: "attest digest list | unsubscribe <id> | preview",
    description:
      "Lists this channel's digest subscriptions, removes one (attest digest unsubscribe d-3f9a1c), or shows the digest now, to you only.",
  },
  escalate: {
    usage: "attest escalate <server> [--since 6h]",
    description:
      "The incident text the owner needs (MAA or deployment): server, region, provider, error classes, first/last seen, nodes, request ids, KQL and what was ruled out.",
  },
  feedback: {
    usage: "attest feedback fixed|not-fixed <rule> [server]",
    description:
      "Says whether a finding's mitigation worked; the diagnosis card's buttons send it. The CLI's attest stats shows the tally.",
  },
  snooze: {
    usage: "attest snooze <server> [--for 1d]",
    description: "Leaves a server out of this conversation's digests for a while.",
  },
  help: { usage: "attest help", description: "Lists the commands." },
} as const satisfies Record<string, Usage>;

/** The commands as a chat user types them; what an unknown word gets. */
export const COMMAND_WORDS = "attest check | explain | policy | digest | escalate | feedback | snooze | help";

/**
 * The usage line for the command of `example` (a CommandError's correct example, which starts
 * with the command that was tried); null when it names no known command.
 */
export function usageFor(example: string): string | null {
  const words = example.trim().split(/\s+/);
  const verb = (words[0] === "attest" ? words[1] : words[0])?.toLowerCase();
  if (verb === "digest")
    return words.includes("subscribe") ? USAGES["digest subscribe"].usage : USAGES["digest other"].usage;
  if (
    verb === "check" ||
    verb === "explain" ||
    verb === "policy" ||
    verb === "escalate" ||
    verb === "feedback" ||
    verb === "snooze" ||
    verb === "help"
  )
    return USAGES[verb].usage;
  return null;
}
