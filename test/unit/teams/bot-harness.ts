/** Test harness: the Teams bot on botbuilder's TestAdapter, with port-level fakes for the check. */
import { type Activity, TestAdapter, TurnContext } from "botbuilder";
import type { AccessPolicy } from "../../../src/adapters/teams/access.js";
import { createTeamsBot, type TeamsBot } from "../../../src/adapters/teams/bot.js";
import { RecentActivities } from "../../../src/adapters/teams/recent-activities.js";
import type { DigestChatDeps } from "../../../src/app/chat/digest-commands.js";
import type { ChatDeps } from "../../../src/app/chat/handle-command.js";
import type { CheckReport, CheckRequest } from "../../../src/app/run-check.js";
import { MemoryAuditLog } from "../../../src/ports/audit.js";
import { fixedClock } from "../../../src/ports/clock.js";
import type { FeedbackStore } from "../../../src/ports/feedback.js";
import { MemoryLogger } from "../../../src/ports/log.js";
import { report, SCENARIOS } from "./fixtures.js";

export const TENANT = "11111111-1111-1111-1111-111111111111";
export const USER = "22222222-2222-2222-2222-222222222222";

export interface Harness {
  readonly adapter: TestAdapter;
  readonly bot: TeamsBot;
  readonly audit: MemoryAuditLog;
  readonly logger: MemoryLogger;
  readonly requests: CheckRequest[];
  /** Messages the bot sent in 1:1 chats it opened with a user (conversation id `personal:<user id>`). */
  readonly personal: Partial<Activity>[];
  /** Sends one activity through the bot (TestAdapter fills conversation, from, recipient). */
  send(activity: Partial<Activity>): Promise<void>;
  /** Bot replies so far, typing indicators included. */
  replies(): Partial<Activity>[];
}

export function harness(
  options: {
    access?: AccessPolicy;
    runCheck?: (request: CheckRequest) => Promise<CheckReport>;
    progressAfterMs?: number;
    digest?: DigestChatDeps | null;
    /** The 1:1 chat cannot be created (the user has not installed the app, 403). */
    personalChatFails?: boolean;
    /** Feedback tally and snoozes (issue 14); absent = those commands say they are off. */
    feedback?: FeedbackStore;
  } = {},
): Harness {
  const audit = new MemoryAuditLog();
  const logger = new MemoryLogger();
  const requests: CheckRequest[] = [];
  const personal: Partial<Activity>[] = [];
  const clock = fixedClock(Date.parse("2026-11-24T10:00:00Z"));
  const chat: ChatDeps = {
    runCheck:
      options.runCheck ??
      (async (request) => {
        requests.push(request);
        return report(request.server, SCENARIOS["customer-rbac"]!);
      }),
    clock,
    audit,
    logger,
    ...(options.feedback ? { feedback: options.feedback } : {}),
  };
  let adapter: TestAdapter;
  const bot = createTeamsBot({
    chat,
    digest: options.digest ?? null,
    access: options.access ?? { allowedTenants: [TENANT], allowedUsers: [] },
    recent: new RecentActivities(clock),
    logger,
    progressAfterMs: options.progressAfterMs ?? 10_000,
    continueConversation: async (reference, logic) => {
      const activity = TurnContext.applyConversationReference(
        { type: "event", name: "continue" },
        reference,
        true,
      );
      await logic(new TurnContext(adapter, activity));
    },
    openPersonalChat: async (turn, logic) => {
      if (options.personalChatFails) throw Object.assign(new Error("Forbidden"), { statusCode: 403 });
      const reference = TurnContext.getConversationReference(turn.activity);
      const activity = TurnContext.applyConversationReference(
        { type: "event", name: "createConversation" },
        {
          ...reference,
          conversation: {
            id: `personal:${turn.activity.from?.id}`,
            isGroup: false,
            conversationType: "personal",
            name: "",
          },
        },
        true,
      );
      const context = new TurnContext(adapter, activity);
      context.onSendActivities(async (_ctx, activities, next) => {
        personal.push(...activities);
        return next();
      });
      await logic(context);
    },
  });
  // Defaults for what a test leaves out (a template would override what the test sets).
  adapter = new TestAdapter({
    channelId: "msteams",
    serviceUrl: "https://smba.trafficmanager.net/emea/",
    conversation: { id: "conv-1", tenantId: TENANT, conversationType: "personal", isGroup: false, name: "" },
    user: { id: "29:user", name: "Ada", aadObjectId: USER },
    bot: { id: "28:bot", name: "attest" },
  });
  return {
    adapter,
    bot,
    audit,
    logger,
    requests,
    personal,
    send: async (activity) => {
      await adapter.processActivity({ type: "message", ...activity }, (context) => bot.onTurn(context));
    },
    replies: () => adapter.activeQueue,
  };
}

/** The Adaptive Card content of a reply, or null. */
export function cardOf(activity: Partial<Activity> | undefined): Record<string, unknown> | null {
  const a = activity?.attachments?.[0];
  return a?.contentType === "application/vnd.microsoft.card.adaptive"
    ? (a.content as Record<string, unknown>)
    : null;
}
