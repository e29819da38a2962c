/**
 * The escalation packet in Slack: a title, then the packet's text in code blocks (copyable as
 * is), cut at line ends into blocks of at most 3,000 characters; what does not fit in the message
 * is counted, and the CLI (`attest escalate <server>`) prints it whole.
 */
import type { EscalationPacket } from "../../domain/escalation/packet.js";
import { context, type SlackMessage, section } from "./blocks.js";
import { LIMITS, truncate } from "./limits.js";
import { escapeMrkdwn } from "./mrkdwn.js";

/** Code blocks in one message at most (the rest is counted). */
const MAX_CODE_BLOCKS = 4;

export function renderEscalation(packet: EscalationPacket): SlackMessage {
  const room = LIMITS.text - 8; // the ``` fences
  const chunks: string[] = [];
  let current = "";
  for (const line of packet.text.trimEnd().split("\n")) {
    const l = truncate(escapeMrkdwn(line).replace(/```/g, "`\u200b``"), room);
    if (current.length + l.length + 1 > room) {
      chunks.push(current);
      current = "";
    }
    current = current === "" ? l : `${current}\n${l}`;
  }
  if (current !== "") chunks.push(current);
  const shown = chunks.slice(0, MAX_CODE_BLOCKS);
  const blocks = [
    section(truncate(`*📋 Escalation packet* — ${escapeMrkdwn(packet.title)}`, LIMITS.text)),
    ...shown.map((c) => section(`\`\`\`${c}\`\`\``)),
  ];
  const left = chunks.length - shown.length;
  blocks.push(
    context(
      left > 0
        ? `${left} more part(s) left out to fit Slack; \`attest escalate ${escapeMrkdwn(packet.server)}\` in the CLI prints it whole.`
        : `Copy the text above into the incident for ${escapeMrkdwn(packet.owner)}.`,
    ),
  );
  return { text: truncate(`Escalation packet: ${escapeMrkdwn(packet.title)}`, LIMITS.fallback), blocks };
}
