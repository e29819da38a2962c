/**
 * A rule's command as a chat user pastes it. Rules write their commands for a terminal, where
 * `attest explain` and `attest policy` read the pasted text on stdin (`attest explain <
 * customer-error.txt`). In Teams and Slack the text follows the command word: pasted as it
 * reads, the terminal form would explain the words "< customer-error.txt". The chat form is the
 * command's usage line, with its placeholder (`attest explain <pasted error text>`), as help
 * shows it. Every other command reads the same in both. Pure.
 */
import { USAGES } from "../domain/command/usage.js";

/** `attest explain|policy [--format text|json] < file`: the text on stdin. */
const FROM_STDIN = /^attest (explain|policy)(?: --format \S+)? < \S+$/;

/** `command` as it runs when pasted into a chat. */
export function chatCommand(command: string): string {
  const verb = FROM_STDIN.exec(command.trim())?.[1] as "explain" | "policy" | undefined;
  return verb ? USAGES[verb].usage : command;
}
