/**
 * The escalation packet in Teams: the title, and the packet's text in a read-only-looking
 * multi-line box (select all, copy), so it goes into the incident exactly as written.
 */
import type { EscalationPacket } from "../../domain/escalation/packet.js";
import { TONE_STYLE } from "./card-data.js";
import { escapeMarkdown } from "./markdown.js";
import type { AdaptiveCardJson } from "./templates.js";

export const ESCALATION_INPUT_ID = "attestEscalationText";

/** Longest packet text the card holds (the card must stay under Teams' size limit). */
export const ESCALATION_MAX_CHARS = 12_000;

export function renderEscalationCard(packet: EscalationPacket): AdaptiveCardJson {
  const t = TONE_STYLE.attention;
  const text =
    packet.text.length > ESCALATION_MAX_CHARS
      ? `${packet.text.slice(0, ESCALATION_MAX_CHARS)}\n… cut to fit Teams; \`attest escalate ${packet.server}\` in the CLI prints it whole.`
      : packet.text;
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    body: [
      {
        type: "Container",
        style: t.style,
        items: [
          // No tone colour on the tone's own background (3.6:1 in Teams): the container carries it.
          { type: "TextBlock", text: "📋 Escalation packet", weight: "Bolder", wrap: true },
          { type: "TextBlock", text: escapeMarkdown(packet.title), wrap: true, spacing: "Small" },
        ],
      },
      {
        type: "TextBlock",
        text: escapeMarkdown(`For ${packet.owner}. Select all in the box and copy it into the incident.`),
        wrap: true,
        isSubtle: true,
      },
      {
        type: "Input.Text",
        id: ESCALATION_INPUT_ID,
        isMultiline: true,
        value: text,
        label: "Incident text",
      },
    ],
  };
}
