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

/**
 * A button's value in at most this many characters. Slack allows 2,000, but every button of a
 * message carries the same value and all of them count towards the message's total text
 * (LIMITS.totalText); a real rerun command is about 100 characters.
 */
export const BUTTON_VALUE_MAX = 600;

/** JSON within `max` characters (Slack's limit is 2000): the command is dropped when it would not fit. */
export function encodeButtonValue(state: ButtonState, max: number = BUTTON_VALUE_MAX): string {
  const full = JSON.stringify({ ref: state.ref, command: state.command });
  const limit = Math.min(max, LIMITS.buttonValue);
  return full.length <= limit ? full : JSON.stringify({ ref: state.ref, command: null });
}
