/** How each category reads and looks, on every platform. */
import type { Category } from "../diagnosis/types.js";

/** Semantic tone; each renderer maps it to its own colours (Adaptive Card containers, Slack emoji). */
export type Tone = "good" | "warning" | "attention" | "accent";

export const CATEGORY_VIEW: Readonly<
  Record<Category, { label: string; whoseMove: string; tone: Tone; icon: string }>
> = {
  deployment_issue: {
    label: "Deployment issue",
    whoseMove: "Azure SQL deployment (Microsoft)",
    tone: "attention",
    icon: "🛠",
  },
  maa_escalation: {
    label: "Escalate to the MAA owner",
    whoseMove: "Azure Attestation service owner",
    tone: "attention",
    icon: "🚨",
  },
  customer_error: { label: "Customer action needed", whoseMove: "Customer", tone: "warning", icon: "👤" },
  needs_info: { label: "More information needed", whoseMove: "Support engineer", tone: "accent", icon: "❓" },
  outside_attestation: {
    label: "Outside attestation",
    whoseMove: "Not the attestation path (see the finding)",
    tone: "accent",
    icon: "➖",
  },
  healthy: { label: "Healthy", whoseMove: "Nobody", tone: "good", icon: "✅" },
};
