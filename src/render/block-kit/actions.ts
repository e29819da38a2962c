/** The buttons of a diagnosis message: stable action ids and what each button carries back. */
import { LIMITS } from "./limits.js";

export const ACTION_IDS = {
  rerun: "attest_rerun",
  evidence: "attest_evidence",
  kql: "attest_kql",
  post: "attest_post",
  explorer: "attest_open_explorer",
} as const;
export type ActionName = keyof typeof ACTION_IDS;

/**
 * A button's value: `ref` names the stored result (opaque to the renderer); `command` is the
 * command to run again when the result is gone (e.g. after a restart). Validated on the way back.
 */
export interface ButtonState {
  readonly ref: string;
  readonly command: string | null;
}

/** JSON within Slack's 2000-character value limit: the command is dropped when it would not fit. */
export function encodeButtonValue(state: ButtonState): string {
  const full = JSON.stringify({ ref: state.ref, command: state.command });
  return full.length <= LIMITS.buttonValue ? full : JSON.stringify({ ref: state.ref, command: null });
}
