/**
 * The buttons of a diagnosis message. Each click is checked like a command: the workspace and
 * channel allow-lists, then the button value (zod), then the command it carries (parseCommand).
 * Re-run runs the check again; Show evidence / Show KQL answer privately; Post to channel
 * re-posts the result visibly. A result that is gone is rebuilt by running its command again.
 * A digest's "Run check" buttons (`attest_run_check_<i>`, value `check <server>`) run that check
 * for the person who clicked, after the same allow-lists and parseCommand validation.
 */
import type { App, BlockAction, ButtonAction, RespondFn } from "@slack/bolt";
import { z } from "zod";
import { auditRejected, CHECK_QUESTIONS, handleCommand } from "../../app/chat/handle-command.js";
import { runnableQuery } from "../../app/explorer-link.js";
import { parseCommand } from "../../domain/command/parse-command.js";
import type { DiagnosisView } from "../../domain/view/check-view.js";
import { ACTION_IDS, type ActionName } from "../../render/block-kit/actions.js";
import type { SlackMessage } from "../../render/block-kit/blocks.js";
import { FOLLOW_UP_ACTION_PATTERN } from "../../render/block-kit/follow-ups.js";
import { renderEvidence, renderQueries } from "../../render/block-kit/render-details.js";
import { renderDiagnosis } from "../../render/block-kit/render-diagnosis.js";
import {
  renderNotice,
  renderPostedBy,
  renderProgress,
  renderRefusal,
  renderUsage,
} from "../../render/block-kit/render-messages.js";
import { RUN_CHECK_ACTION } from "../../render/digest/block-kit.js";
import { refusalOf } from "./config.js";
import { deliverEphemeral, sdkBlocks } from "./deliver.js";
import { replyMessage, type SlackClient, type SlackDeps, slackActor } from "./reply.js";

export const buttonValueSchema = z.object({
  ref: z.uuid(),
  command: z.string().min(1).max(2000).nullable(),
});

type Clicked = Exclude<ActionName, "explorer">;

interface Click {
  readonly name: Clicked;
  readonly body: BlockAction<ButtonAction>;
  readonly action: ButtonAction;
  readonly respond: RespondFn;
  readonly client: SlackClient;
}

async function onClick(deps: SlackDeps, click: Click): Promise<void> {
  const { body, name } = click;
  const user = body.user.id;
  const where = { team: body.team?.id ?? body.user.team_id ?? "", channel: body.channel?.id ?? "" };
  const actor = slackActor(user, where.team, where.channel);
  const started = deps.chat.clock.now();
  const tell = (m: SlackMessage) =>
    deliverEphemeral(
      { respond: click.respond, client: click.client, logger: deps.logger },
      {
        channel: where.channel,
        user,
        responseUrl: body.response_url,
        responseUrls: deps.config.responseUrls,
      },
      m,
    );
  const audit = (outcome: string) =>
    deps.chat.audit.record({
      platform: "slack",
      who: user,
      tenant: where.team,
      conversation: where.channel,
      command: `button:${name}`,
      parameters: {},
      outcome,
      durationMs: deps.chat.clock.now() - started,
      kustoRequestIds: [],
    });

  const refusal = refusalOf(deps.config, where.team, where.channel);
  if (refusal) {
    auditRejected(deps.chat, actor, `button:${name}`, "refused");
    await tell(renderRefusal(refusal));
    return;
  }
  let state: z.infer<typeof buttonValueSchema>;
  try {
    state = buttonValueSchema.parse(JSON.parse(click.action.value ?? ""));
  } catch {
    auditRejected(deps.chat, actor, `button:${name}`, "bad_input");
    await tell(renderNotice("That button's data is not valid; run the command again."));
    return;
  }

  let view: DiagnosisView | null =
    name === "rerun" ? null : deps.store.get(state.ref, where.team, where.channel);
  if (view === null) {
    if (state.command === null) {
      audit("expired");
      await tell(renderNotice("This result is no longer available; run the command again."));
      return;
    }
    const parsed = parseCommand(state.command);
    if (!parsed.ok || parsed.command.kind !== "check") {
      auditRejected(deps.chat, actor, `button:${name}`, "bad_input");
      await tell(renderUsage(parsed.ok ? null : parsed.error, "slash"));
      return;
    }
    await tell(renderProgress(parsed.command.server, CHECK_QUESTIONS));
    const reply = await handleCommand(deps.chat, actor, parsed.command);
    if (reply.kind !== "diagnosis" || name === "rerun") {
      await tell(replyMessage(deps, reply, where, "slash", true));
      return;
    }
    view = reply.view;
  }

  switch (name) {
    case "rerun":
      return; // answered above
    case "evidence":
      await tell(renderEvidence(view));
      audit("shown");
      return;
    case "kql":
      await tell(renderQueries(view, { format: (q) => runnableQuery(q.text, q.parameters) }));
      audit("shown");
      return;
    case "post": {
      const ref = deps.store.put(view, where.team, where.channel);
      const m = renderDiagnosis(view, { ref, offerPost: false });
      const posted = { text: m.text, blocks: [...m.blocks.slice(0, 49), renderPostedBy(user)] };
      try {
        await click.client.chat.postMessage({
          channel: where.channel,
          text: posted.text,
          blocks: sdkBlocks(posted),
        });
      } catch (error) {
        // Not in the channel (private channel, no chat:write.public): the response_url can still post there.
        deps.logger.warn("slack.post_failed", {
          error: error instanceof Error ? error.message : String(error),
        });
        await click.respond({
          response_type: "in_channel",
          replace_original: false,
          text: posted.text,
          blocks: sdkBlocks(posted),
        });
      }
      audit("posted");
      return;
    }
  }
}

/** The action ids of a digest's Run-check buttons: `attest_run_check_<index>`. */
export const RUN_CHECK_ACTION_PATTERN = new RegExp(`^${RUN_CHECK_ACTION}_\\d{1,3}$`);

/** Longest value a Run-check button may carry (Slack's limit for a button value). */
const RUN_CHECK_VALUE_MAX = 2000;

/**
 * Who clicked a button command, where, and how to answer only them (response_url, else
 * chat.postEphemeral); `refused` is already answered and audited when the allow-lists refuse.
 */
async function buttonContext(deps: SlackDeps, click: Omit<Click, "name">, audited: string) {
  const { body } = click;
  const user = body.user.id;
  const where = { team: body.team?.id ?? body.user.team_id ?? "", channel: body.channel?.id ?? "" };
  const actor = slackActor(user, where.team, where.channel);
  const tell = (m: SlackMessage) =>
    deliverEphemeral(
      { respond: click.respond, client: click.client, logger: deps.logger },
      {
        channel: where.channel,
        user,
        responseUrl: body.response_url,
        responseUrls: deps.config.responseUrls,
      },
      m,
    );
  const refusal = refusalOf(deps.config, where.team, where.channel);
  if (refusal) {
    auditRejected(deps.chat, actor, audited, "refused");
    await tell(renderRefusal(refusal));
  }
  return { where, actor, tell, refused: refusal !== null };
}

async function onRunCheck(deps: SlackDeps, click: Omit<Click, "name">): Promise<void> {
  const { where, actor, tell, refused } = await buttonContext(deps, click, "button:run_check");
  if (refused) return;
  const value = click.action.value ?? "";
  const parsed = value.length <= RUN_CHECK_VALUE_MAX ? parseCommand(value) : null;
  if (!parsed?.ok || parsed.command.kind !== "check") {
    auditRejected(deps.chat, actor, "button:run_check", "bad_input");
    await tell(renderNotice("That button's data is not valid; type the check instead."));
    return;
  }
  await tell(renderProgress(parsed.command.server, CHECK_QUESTIONS));
  const reply = await handleCommand(deps.chat, actor, parsed.command);
  await tell(replyMessage(deps, reply, where, "slash", true));
}

/**
 * A follow-up button of a diagnosis (`attest_followup_<name>`, issue 14): its value is the command
 * (feedback, escalate or snooze), run for whoever clicked after the same allow-lists and parsing as
 * typed text; the answer comes back only to them.
 */
async function onFollowUp(deps: SlackDeps, click: Omit<Click, "name">): Promise<void> {
  const { where, actor, tell, refused } = await buttonContext(deps, click, "button:follow_up");
  if (refused) return;
  const value = click.action.value ?? "";
  const parsed = value.length <= RUN_CHECK_VALUE_MAX ? parseCommand(value) : null;
  const kind = parsed?.ok ? parsed.command.kind : null;
  if (!parsed?.ok || (kind !== "feedback" && kind !== "escalate" && kind !== "snooze")) {
    auditRejected(deps.chat, actor, "button:follow_up", "bad_input");
    await tell(renderNotice("That button's data is not valid; type the command instead."));
    return;
  }
  if (parsed.command.kind === "escalate") await tell(renderProgress(parsed.command.server, CHECK_QUESTIONS));
  const reply = await handleCommand(deps.chat, actor, parsed.command);
  await tell(replyMessage(deps, reply, where, "slash", true));
}

export function registerButtons(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(
    FOLLOW_UP_ACTION_PATTERN,
    async ({ ack, body, action, respond, client }) => {
      await ack();
      await onFollowUp(deps, { body, action, respond, client });
    },
  );
  app.action<BlockAction<ButtonAction>>(
    RUN_CHECK_ACTION_PATTERN,
    async ({ ack, body, action, respond, client }) => {
      await ack();
      await onRunCheck(deps, { body, action, respond, client });
    },
  );
  for (const name of ["rerun", "evidence", "kql", "post"] as const) {
    app.action<BlockAction<ButtonAction>>(
      ACTION_IDS[name],
      async ({ ack, body, action, respond, client }) => {
        await ack();
        await onClick(deps, { name, body, action, respond, client });
      },
    );
  }
  // A link button: Slack opens the URL itself and only needs the acknowledgement.
  app.action(ACTION_IDS.explorer, async ({ ack }) => {
    await ack();
  });
}
