/**
 * Getting a message to the person who asked: through the command's response_url first, and when
 * that fails (expired after 30 minutes, used 5 times, or not a Slack URL) through
 * chat.postEphemeral, which needs no response_url.
 */
import type { RespondFn, types, webApi } from "@slack/bolt";
import type { Logger } from "../../ports/log.js";
import type { SlackMessage } from "../../render/block-kit/blocks.js";

/** Our typed blocks as the SDK's (same JSON; the SDK's types are wider). */
export const sdkBlocks = (m: SlackMessage): types.KnownBlock[] => m.blocks as unknown as types.KnownBlock[];

/** True for the response URLs Slack itself hands out. */
export function isSlackResponseUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "https:" && (u.hostname === "hooks.slack.com" || u.hostname.endsWith(".slack.com"));
  } catch {
    return false;
  }
}

export interface EphemeralTarget {
  readonly channel: string;
  readonly user: string;
  readonly responseUrl: string | null;
  /** "any" accepts any response URL (local mode, Slack API stub); "slack" only Slack's. */
  readonly responseUrls: "slack" | "any";
}

/** Which way the message went. */
export type Delivery = "response_url" | "chat.postEphemeral";

export async function deliverEphemeral(
  deps: { readonly respond: RespondFn | null; readonly client: webApi.WebClient; readonly logger: Logger },
  target: EphemeralTarget,
  message: SlackMessage,
  options: { readonly replaceOriginal?: boolean } = {},
): Promise<Delivery> {
  const usable =
    deps.respond !== null &&
    target.responseUrl !== null &&
    (target.responseUrls === "any" || isSlackResponseUrl(target.responseUrl));
  if (usable && deps.respond) {
    try {
      await deps.respond({
        response_type: "ephemeral",
        replace_original: options.replaceOriginal ?? false,
        text: message.text,
        blocks: sdkBlocks(message),
      });
      return "response_url";
    } catch (error) {
      deps.logger.warn("slack.response_url_failed", {
        error: error instanceof Error ? error.message : String(error),
        fallback: "chat.postEphemeral",
      });
    }
  }
  await deps.client.chat.postEphemeral({
    channel: target.channel,
    user: target.user,
    text: message.text,
    blocks: sdkBlocks(message),
  });
  return "chat.postEphemeral";
}
