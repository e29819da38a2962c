/**
 * The Teams bot's turn logic, independent of the HTTP adapter (CloudAdapter in production,
 * TestAdapter in unit tests): dedupe, authorize, parse, typing, run, reply with a card; when the
 * command is slow, a "running N checks…" card that is updated in place with the result.
 * `attest digest …` goes to the digest commands (digest.ts); `attest policy` alone answers with a
 * card to paste the policy in, whose Check button comes back here as a button command.
 */
import { type Activity, ActivityTypes, type ConversationReference, TurnContext } from "botbuilder";
import type { DigestChatDeps } from "../../app/chat/digest-commands.js";
import {
  auditRejected,
  CHECK_QUESTIONS,
  type ChatActor,
  type ChatDeps,
  type ChatReply,
  cutShortMessage,
  handleCommand,
} from "../../app/chat/handle-command.js";
import { alwaysAnswer, type MayAnswer } from "../../app/serving/in-flight.js";
import { type Command, parseCommand } from "../../domain/command/parse-command.js";
import type { Logger } from "../../ports/log.js";
import { FOLLOW_UP_BYTES, withFollowUpActions } from "../../render/adaptive-card/follow-up-actions.js";
import { MAX_CARD_BYTES, renderDiagnosisCard } from "../../render/adaptive-card/render-diagnosis-card.js";
import { renderEscalationCard } from "../../render/adaptive-card/render-escalation-card.js";
import { renderPolicyCard, renderPolicyInputCard } from "../../render/adaptive-card/render-policy-card.js";
import {
  renderHelpCard,
  renderLinesCard,
  renderNoticeCard,
  renderProgressCard,
} from "../../render/adaptive-card/render-simple-cards.js";
import { TEAMS_MESSAGE_LIMIT_BYTES } from "../../render/adaptive-card/templates.js";
import { type AccessPolicy, authorize, REFUSAL_TEXT } from "./access.js";
import { actorOf, buttonCommand, RUN_VERB, typedText } from "./activity.js";
import { activityBytes, cardMessage } from "./card-message.js";
import { DIGEST_TEXT, runDigestText } from "./digest.js";
import type { RecentActivities } from "./recent-activities.js";

export interface TeamsBotDeps {
  readonly chat: ChatDeps;
  /** `attest digest …`; null when digests are off (the bot says so). */
  readonly digest: DigestChatDeps | null;
  readonly access: AccessPolicy;
  readonly recent: RecentActivities;
  readonly logger: Logger;
  /** Wait this long for the result before posting the progress card. */
  readonly progressAfterMs: number;
  /** Runs `logic` in the conversation of `reference` later (CloudAdapter.continueConversationAsync). */
  continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void>;
  /**
   * Runs `logic` in a new 1:1 chat between the bot and the sender of `context.activity`
   * (CloudAdapter.createConversationAsync): replies only the caller may see.
   */
  openPersonalChat(context: TurnContext, logic: (personal: TurnContext) => Promise<void>): Promise<void>;
}

export interface TeamsBot {
  onTurn(context: TurnContext): Promise<void>;
  /** Resolves when every background update (slow commands) has been posted. */
  idle(): Promise<void>;
}

/** Room left under Teams' limit after the whole activity is measured (the limit is not exact). */
const MESSAGE_MARGIN_BYTES = 2_000;

/**
 * The card budget for a reply in `context`: MAX_CARD_BYTES, less when the activity around the card
 * (conversation ids, serviceUrl, summary) is unusually large.
 */
function cardBudget(context: TurnContext, summary: string): number {
  const envelope = activityBytes(cardMessage({}, summary), context);
  return Math.min(MAX_CARD_BYTES, TEAMS_MESSAGE_LIMIT_BYTES - MESSAGE_MARGIN_BYTES - envelope);
}

/** Logs a reply Teams would refuse as too large (UTF-16 bytes of the whole activity). */
function checkSize(message: Partial<Activity>, context: TurnContext, logger: Logger): Partial<Activity> {
  const bytes = activityBytes(message, context);
  if (bytes > TEAMS_MESSAGE_LIMIT_BYTES) logger.warn("teams.card_too_large", { bytes });
  return message;
}

function replyMessage(reply: ChatReply, logger: Logger, context: TurnContext): Partial<Activity> {
  switch (reply.kind) {
    case "diagnosis": {
      const v = reply.view.verdict;
      const summary = `${v.label}: ${v.headline}`;
      const rendered = renderDiagnosisCard(reply.view, {
        maxBytes: cardBudget(context, summary) - FOLLOW_UP_BYTES,
      });
      if (rendered.warnings.length > 0) logger.warn("teams.card_warnings", { warnings: rendered.warnings });
      // Issue 14: "This fixed it" / "This did not" / "Escalation packet".
      const card = withFollowUpActions(rendered.card, reply.view);
      return checkSize(cardMessage(card, summary), context, logger);
    }
    case "policy": {
      const summary = `${reply.view.verdict.icon} ${reply.view.verdict.headline}`;
      const rendered = renderPolicyCard(reply.view, { maxBytes: cardBudget(context, summary) });
      return checkSize(cardMessage(rendered.card, summary), context, logger);
    }
    case "usage":
      return cardMessage(renderHelpCard(reply.error), reply.error ? "That did not work" : "attest help");
    case "unavailable":
      return cardMessage(renderNoticeCard("unavailable", reply.message), reply.message);
    case "error":
      return cardMessage(renderNoticeCard("error", reply.message), reply.message);
    case "notice":
      return cardMessage(renderLinesCard("attest", [reply.message], "accent"), reply.message);
    case "escalation":
      return checkSize(cardMessage(renderEscalationCard(reply.packet), reply.packet.title), context, logger);
  }
}

/** `attest policy` (or `policy`) with nothing after it. */
const POLICY_ALONE = /^(?:\/?attest\s+)?policy\s*$/i;

const delay = (ms: number) =>
  new Promise<"slow">((resolve) => {
    setTimeout(() => resolve("slow"), ms).unref?.();
  });

/** What the progress card says while `command` runs. */
function progressTitle(command: Command): string {
  if (command.kind === "check") return `Running ${CHECK_QUESTIONS} checks on ${command.server}…`;
  if (command.kind === "escalate") return `Gathering the escalation packet for ${command.server}…`;
  if (command.kind === "feedback" || command.kind === "snooze") return "Recording…";
  return command.kind === "policy" ? "Checking the policy…" : "Reading the pasted error…";
}

/** The command word of `text` for the audit line of a refused or malformed command. */
function commandWord(text: string): string {
  const parsed = parseCommand(text);
  if (parsed.ok) return parsed.command.kind;
  const words = text.trim().toLowerCase().split(/\s+/);
  return (words[0] === "attest" ? words[1] : words[0])?.slice(0, 32) ?? "";
}

export function createTeamsBot(deps: TeamsBotDeps): TeamsBot {
  const background = new Set<Promise<void>>();
  const { logger } = deps;

  /** Parses and runs `text` for `actor`, replying in `context`. Returns what happened, for invoke responses. */
  async function runText(context: TurnContext, actor: ChatActor, text: string): Promise<string> {
    await context.sendActivity({ type: ActivityTypes.Typing });
    const parsed = parseCommand(text);
    if (!parsed.ok) {
      auditRejected(deps.chat, actor, commandWord(text), "bad_input");
      await context.sendActivity(cardMessage(renderHelpCard(parsed.error), "That did not work"));
      return "bad_input";
    }
    const command = parsed.command;
    const work = handleCommand(deps.chat, actor, command);
    const first = await Promise.race([work, delay(deps.progressAfterMs)]);
    if (first !== "slow") {
      await context.sendActivity(replyMessage(first, logger, context));
      return first.kind;
    }
    const title = progressTitle(command);
    const progress = await context.sendActivity(cardMessage(renderProgressCard(title), title));
    const reference = TurnContext.getConversationReference(context.activity);
    const progressId = progress?.id;
    const answerLater = (mayAnswer: MayAnswer) =>
      work
        .then((reply) =>
          mayAnswer()
            ? deps.continueConversation(reference, async (proactive) => {
                const message = replyMessage(reply, logger, proactive);
                if (progressId) await proactive.updateActivity({ ...message, id: progressId });
                else await proactive.sendActivity(message);
              })
            : undefined,
        )
        .catch((error: unknown) =>
          logger.error("teams.update_failed", {
            conversation: actor.conversationId,
            error: error instanceof Error ? error.message : String(error),
          }),
        );
    const server = command.kind === "check" ? command.server : null;
    // On shutdown: the progress card says the check was cut short if it has not finished by then.
    const later: Promise<void> =
      server !== null && deps.chat.inFlight
        ? deps.chat.inFlight.track(`teams check ${server}`, answerLater, () =>
            deps.continueConversation(reference, async (proactive) => {
              const text = cutShortMessage(server);
              const message = cardMessage(renderNoticeCard("unavailable", text), text);
              if (progressId) await proactive.updateActivity({ ...message, id: progressId });
              else await proactive.sendActivity(message);
            }),
          )
        : answerLater(alwaysAnswer);
    background.add(later);
    void later.finally(() => background.delete(later));
    return "running";
  }

  /**
   * Routes admitted text: digest commands, the policy input card (`attest policy` with nothing
   * pasted), else the chat commands. Button clicks arrive here too, so they get the same checks.
   */
  async function dispatch(context: TurnContext, actor: ChatActor, text: string): Promise<string> {
    const digest = DIGEST_TEXT.exec(text);
    if (digest) return runDigestText(deps, context, actor, digest[1] ?? "");
    if (POLICY_ALONE.test(text)) {
      // From the input card's Check button with an empty box the text is "attest policy\n".
      const problem = text.includes("\n") ? "Paste the policy first, then press Check." : null;
      deps.chat.audit.record({
        platform: actor.platform,
        who: actor.userId,
        tenant: actor.tenantId,
        conversation: actor.conversationId,
        command: "policy",
        parameters: { chars: 0 },
        outcome: "policy_form",
        durationMs: 0,
        kustoRequestIds: [],
      });
      await context.sendActivity(cardMessage(renderPolicyInputCard(problem), "Paste a policy to check"));
      return "policy_form";
    }
    return runText(context, actor, text);
  }

  /** Common gate: dedupe and authorization. Returns the actor, or null when nothing may run. */
  async function admit(context: TurnContext, text: string): Promise<ChatActor | null> {
    const activity = context.activity;
    const actor = actorOf(activity);
    if (activity.id && !deps.recent.firstTime(`${actor.conversationId}|${activity.id}`)) {
      logger.info("teams.redelivery_ignored", {
        activityId: activity.id,
        conversation: actor.conversationId,
      });
      return null;
    }
    const decision = authorize(deps.access, actor);
    if (!decision.ok) {
      logger.warn("teams.refused", { reason: decision.reason, tenant: actor.tenantId, who: actor.userId });
      auditRejected(deps.chat, actor, commandWord(text), "refused");
      await context.sendActivity(cardMessage(renderNoticeCard("refused", REFUSAL_TEXT), REFUSAL_TEXT));
      return null;
    }
    return actor;
  }

  async function onMessage(context: TurnContext): Promise<void> {
    const text = buttonCommand(context.activity.value) ?? typedText(context.activity);
    const actor = await admit(context, text);
    if (!actor) return;
    await dispatch(context, actor, text);
  }

  async function onInvoke(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const respond = (body: unknown) =>
      context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
    const value = activity.value as { action?: { type?: string; verb?: string } } | undefined;
    if (activity.name !== "adaptiveCard/action" || value?.action?.verb !== RUN_VERB) {
      await respond({
        statusCode: 400,
        type: "application/vnd.microsoft.error",
        value: { code: "BadRequest", message: "unknown card action" },
      });
      return;
    }
    const text = buttonCommand(value) ?? "";
    const actor = await admit(context, text);
    if (!actor) {
      await respond({
        statusCode: 200,
        type: "application/vnd.microsoft.activity.message",
        value: "Not run.",
      });
      return;
    }
    const outcome = await dispatch(context, actor, text);
    await respond({
      statusCode: 200,
      type: "application/vnd.microsoft.activity.message",
      value: outcome === "running" ? "Running…" : "Done.",
    });
  }

  /** The bot was added to a chat or team: introduce it with the help card (allowed tenants only). */
  async function onConversationUpdate(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const botAdded = (activity.membersAdded ?? []).some((m) => m.id === activity.recipient?.id);
    if (!botAdded || !authorize(deps.access, actorOf(activity)).ok) return;
    await context.sendActivity(cardMessage(renderHelpCard(null), "attest help"));
  }

  return {
    async onTurn(context) {
      switch (context.activity.type) {
        case ActivityTypes.Message:
          return onMessage(context);
        case ActivityTypes.Invoke:
          return onInvoke(context);
        case ActivityTypes.ConversationUpdate:
          return onConversationUpdate(context);
        default:
          return;
      }
    },
    async idle() {
      while (background.size > 0) await Promise.allSettled([...background]);
    },
  };
}
