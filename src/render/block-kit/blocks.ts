/**
 * The subset of Block Kit this bot sends, typed here so renderers stay pure (no SDK import) and
 * tests can check every message against Slack's limits (`limits.ts`).
 * https://docs.slack.dev/reference/block-kit/blocks
 */

export interface PlainText {
  readonly type: "plain_text";
  readonly text: string;
  readonly emoji?: boolean;
}
export interface Mrkdwn {
  readonly type: "mrkdwn";
  readonly text: string;
}
export type TextObject = PlainText | Mrkdwn;

export interface Button {
  readonly type: "button";
  readonly action_id: string;
  readonly text: PlainText;
  readonly value?: string;
  readonly url?: string;
  readonly style?: "primary" | "danger";
}

export type Block =
  | { readonly type: "header"; readonly text: PlainText }
  | { readonly type: "section"; readonly text?: TextObject; readonly fields?: readonly TextObject[] }
  | { readonly type: "context"; readonly elements: readonly TextObject[] }
  | { readonly type: "divider" }
  | { readonly type: "actions"; readonly block_id?: string; readonly elements: readonly Button[] };

/** A message body for chat.postMessage, chat.update, chat.postEphemeral or a response_url post. */
export interface SlackMessage {
  /** Notification and accessibility fallback. */
  readonly text: string;
  readonly blocks: readonly Block[];
}

export const plain = (text: string): PlainText => ({ type: "plain_text", text, emoji: true });
export const mrkdwn = (text: string): Mrkdwn => ({ type: "mrkdwn", text });
export const section = (text: string): Block => ({ type: "section", text: mrkdwn(text) });
export const context = (...lines: string[]): Block => ({ type: "context", elements: lines.map(mrkdwn) });
export const divider: Block = { type: "divider" };
