/**
 * The modal `/attest policy` opens: one multi-line input for the policy text. Its submission comes
 * back as a view_submission with `callback_id` POLICY_MODAL.callbackId; the input's value is at
 * `view.state.values[blockId][actionId].value`. `private_metadata` carries where to answer.
 * https://docs.slack.dev/reference/views/modal-views
 */
import { LIMITS, truncate } from "./limits.js";

export const POLICY_MODAL = {
  callbackId: "attest_policy",
  blockId: "attest_policy_input",
  actionId: "policy_text",
  /** Slack's maximum for a plain_text_input. */
  maxLength: 3000,
  /** Slack's maximum for private_metadata. */
  metadataMax: 3000,
} as const;

/** The subset of a modal view this bot sends. */
export interface ModalView {
  readonly type: "modal";
  readonly callback_id: string;
  readonly private_metadata: string;
  readonly title: { readonly type: "plain_text"; readonly text: string };
  readonly submit: { readonly type: "plain_text"; readonly text: string };
  readonly close: { readonly type: "plain_text"; readonly text: string };
  readonly blocks: readonly Record<string, unknown>[];
}

/** The modal, with `privateMetadata` (at most 3,000 characters) to find the answer's channel again. */
export function policyModal(privateMetadata: string): ModalView {
  if (privateMetadata.length > POLICY_MODAL.metadataMax) throw new Error("private_metadata too long");
  return {
    type: "modal",
    callback_id: POLICY_MODAL.callbackId,
    private_metadata: privateMetadata,
    // Modal titles, submit and close labels: at most 24 characters.
    title: { type: "plain_text", text: "Check a policy" },
    submit: { type: "plain_text", text: "Check" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: truncate(
            "Paste an Azure Attestation policy (text, or the JWT that wraps it). attest parses it, checks that it lets the Azure SQL enclave through and compares it with the recommended policy. Nothing is sent to Azure.",
            LIMITS.text,
          ),
        },
      },
      {
        type: "input",
        block_id: POLICY_MODAL.blockId,
        label: { type: "plain_text", text: "Attestation policy" },
        element: {
          type: "plain_text_input",
          action_id: POLICY_MODAL.actionId,
          multiline: true,
          max_length: POLICY_MODAL.maxLength,
          placeholder: { type: "plain_text", text: "version= 1.0; authorizationrules { ... };" },
        },
      },
    ],
  };
}
