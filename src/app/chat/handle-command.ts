/**
 * One chat command, platform-neutral: run it and describe the reply. Teams and Slack adapters do
 * authorization, progress messages and rendering; this does the work and writes the audit line.
 */
import type { Command, CommandError } from "../../domain/command/parse-command.js";
import { explain } from "../../domain/diagnosis/explain.js";
import { ruleMeta } from "../../domain/diagnosis/rules/catalog.js";
import { type EscalationPacket, escalationPacket, isPacket } from "../../domain/escalation/packet.js";
import { lintFails } from "../../domain/policy/lint.js";
import { type PolicyView, policyReply } from "../../domain/policy/view.js";
import { checkView, type DiagnosisView, explainView } from "../../domain/view/check-view.js";
import type { AuditLog } from "../../ports/audit.js";
import type { Clock } from "../../ports/clock.js";
import type { FeedbackStore } from "../../ports/feedback.js";
import type { Logger } from "../../ports/log.js";
import { explorerLink, runnableQuery } from "../explorer-link.js";
import { type CheckReport, type CheckRequest, KustoUnavailable } from "../run-check.js";
import { CheckQueueFull, ShuttingDown, yieldToLoop } from "../serving/check-queue.js";
import type { InFlight } from "../serving/in-flight.js";

export interface ChatActor {
  readonly platform: "teams" | "slack";
  readonly userId: string;
  readonly tenantId: string;
  readonly conversationId: string;
}

export type ChatReply =
  | { readonly kind: "diagnosis"; readonly view: DiagnosisView }
  /** `attest policy <text>`: the policy check (parse, evaluate, compare with the recommended policy). */
  | { readonly kind: "policy"; readonly view: PolicyView }
  /** Help, with what was wrong when the input was malformed. */
  | { readonly kind: "usage"; readonly error: CommandError | null }
  | { readonly kind: "unavailable"; readonly message: string }
  | { readonly kind: "error"; readonly message: string }
  /** `attest escalate <server>`: the incident text for the owning team, to copy. */
  | { readonly kind: "escalation"; readonly packet: EscalationPacket }
  /** A short answer (feedback recorded, snoozed, nothing to escalate). */
  | { readonly kind: "notice"; readonly message: string };

export interface ChatDeps {
  readonly runCheck: (request: CheckRequest) => Promise<CheckReport>;
  readonly clock: Clock;
  readonly audit: AuditLog;
  readonly logger: Logger;
  /** True when a check would be refused as busy right now (the queue is full); absent: never. */
  readonly busy?: () => boolean;
  /** Acknowledged commands that still owe an answer, drained on shutdown; absent: not tracked. */
  readonly inFlight?: InFlight;
  /** Awaited between long steps so acknowledgements go first (IngressGate.whenIdle); default: one loop turn. */
  readonly pause?: () => Promise<void>;
  /** Feedback tally and digest snoozes; absent = those commands say they are off. */
  readonly feedback?: FeedbackStore;
}

/** What a user reads when the check queue is full. */
export const BUSY_MESSAGE =
  "The bot is busy with other checks right now, so this one did not run. Try again in a minute.";
/** What a user reads when the bot stopped before their check started. */
export const RESTARTING_MESSAGE = "The bot is restarting, so this check did not run. Try again in a minute.";

/** What a user reads when the bot stopped before their check finished. */
export const cutShortMessage = (server: string): string =>
  `The bot restarted before the check on ${server} finished, so it was cut short. Run it again in a minute.`;

/** How many Kusto questions a check asks (for "running N checks on X…"). */
export const CHECK_QUESTIONS = 4;

export function viewOfReport(report: CheckReport): DiagnosisView {
  const main = report.queries.find((q) => q.name === "attestation-failures");
  return checkView({ ...report, explorerUrl: main ? explorerLink(report.target, main) : null });
}

function describe(command: Command): { name: string; parameters: Record<string, unknown> } {
  switch (command.kind) {
    case "check":
      return {
        name: "check",
        parameters: {
          server: command.server,
          database: command.database,
          url: command.url,
          sinceMs: command.sinceMs,
        },
      };
    case "explain":
    case "policy":
      return { name: command.kind, parameters: { chars: command.text.length } };
    case "help":
      return { name: "help", parameters: {} };
    case "escalate":
      return { name: "escalate", parameters: { server: command.server, sinceMs: command.sinceMs } };
    case "feedback":
      return {
        name: "feedback",
        parameters: { rule: command.rule, answer: command.answer, server: command.server },
      };
    case "snooze":
      return { name: "snooze", parameters: { server: command.server, forMs: command.forMs } };
  }
}

const FEEDBACK_OFF = "Feedback and snoozes are off: the bot has no data store (ATTEST_DATA_DIR).";

/** The escalation packet for `report`, or why there is none. */
export function packetOfReport(report: CheckReport): EscalationPacket | string {
  const main = report.queries.find((q) => q.name === "attestation-failures");
  const packet = escalationPacket(
    viewOfReport(report),
    report.incident ?? null,
    main ? runnableQuery(main.text, main.parameters) : null,
  );
  return isPacket(packet) ? packet : packet.reason;
}

/** Runs `command` for `actor` (already authorized) and audits it. Never throws. */
export async function handleCommand(deps: ChatDeps, actor: ChatActor, command: Command): Promise<ChatReply> {
  const started = deps.clock.now();
  const { name, parameters } = describe(command);
  let reply: ChatReply;
  let outcome: string;
  let requestIds: string[] = [];
  try {
    switch (command.kind) {
      case "check": {
        const report = await deps.runCheck(command);
        // The check's work and the card's rendering are two long steps: let waiting I/O go between.
        await (deps.pause ?? yieldToLoop)();
        requestIds = report.queries.flatMap((q) => (q.requestId ? [q.requestId] : []));
        reply = { kind: "diagnosis", view: viewOfReport(report) };
        outcome = report.diagnosis.verdict;
        break;
      }
      case "explain": {
        const diagnosis = explain(command.text);
        reply = { kind: "diagnosis", view: explainView(diagnosis, new Date(deps.clock.now()).toISOString()) };
        outcome = diagnosis.verdict;
        break;
      }
      case "policy": {
        const view = policyReply(command.text);
        reply = { kind: "policy", view };
        outcome = !view.result.valid
          ? "policy_invalid"
          : lintFails(view.result)
            ? "policy_findings"
            : "policy_ok";
        break;
      }
      case "help":
        reply = { kind: "usage", error: null };
        outcome = "help";
        break;
      case "escalate": {
        const report = await deps.runCheck({
          server: command.server,
          database: null,
          url: null,
          sinceMs: command.sinceMs,
        });
        requestIds = report.queries.flatMap((q) => (q.requestId ? [q.requestId] : []));
        const packet = packetOfReport(report);
        reply =
          typeof packet === "string" ? { kind: "notice", message: packet } : { kind: "escalation", packet };
        outcome = typeof packet === "string" ? "nothing_to_escalate" : "escalation";
        break;
      }
      case "feedback": {
        if (!deps.feedback) {
          reply = { kind: "notice", message: FEEDBACK_OFF };
          outcome = "feedback_off";
          break;
        }
        await deps.feedback.record({
          rule: command.rule,
          answer: command.answer,
          server: command.server,
          platform: actor.platform,
          who: actor.userId,
          at: new Date(deps.clock.now()).toISOString(),
        });
        const title = ruleMeta(command.rule).title;
        reply = {
          kind: "notice",
          message: `Thanks: recorded that the mitigation for "${title}" ${command.answer === "fixed" ? "fixed it" : "did not fix it"}${command.server ? ` on ${command.server}` : ""}. \`attest stats\` shows how often each rule's mitigation works.`,
        };
        outcome = command.answer;
        break;
      }
      case "snooze": {
        if (!deps.feedback) {
          reply = { kind: "notice", message: FEEDBACK_OFF };
          outcome = "feedback_off";
          break;
        }
        const until = new Date(deps.clock.now() + command.forMs).toISOString();
        await deps.feedback.snooze({
          conversation: actor.conversationId,
          server: command.server,
          until,
          by: actor.userId,
        });
        reply = {
          kind: "notice",
          message: `${command.server} is left out of this conversation's digests until ${until.slice(0, 16).replace("T", " ")} UTC.`,
        };
        outcome = "snoozed";
        break;
      }
    }
  } catch (error) {
    if (error instanceof CheckQueueFull || error instanceof ShuttingDown) {
      const busy = error instanceof CheckQueueFull;
      reply = { kind: "unavailable", message: busy ? BUSY_MESSAGE : RESTARTING_MESSAGE };
      outcome = busy ? "busy" : "shutting_down";
    } else if (error instanceof KustoUnavailable) {
      requestIds = error.failures.map((f) => f.requestId).filter((id) => id !== "");
      reply = {
        kind: "unavailable",
        message: error.userMessage,
      };
      outcome = "unavailable";
    } else {
      deps.logger.error("chat.command_failed", {
        command: name,
        error: error instanceof Error ? error.message : String(error),
      });
      reply = {
        kind: "error",
        message: "Something went wrong while running the command; it has been logged.",
      };
      outcome = "error";
    }
  }
  deps.audit.record({
    platform: actor.platform,
    who: actor.userId,
    tenant: actor.tenantId,
    conversation: actor.conversationId,
    command: name,
    parameters,
    outcome,
    durationMs: deps.clock.now() - started,
    kustoRequestIds: requestIds,
  });
  return reply;
}

/** Audits a command that did not run: refused, malformed, or not possible here (e.g. "digests_off"). */
export function auditRejected(
  deps: Pick<ChatDeps, "audit">,
  actor: ChatActor,
  command: string,
  outcome: string,
): void {
  deps.audit.record({
    platform: actor.platform,
    who: actor.userId,
    tenant: actor.tenantId,
    conversation: actor.conversationId,
    command,
    parameters: {},
    outcome,
    durationMs: 0,
    kustoRequestIds: [],
  });
}
