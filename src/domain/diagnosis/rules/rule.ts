/**
 * What a rule is: data (RuleMeta: id, category, title, why, mitigation, owner, source) plus a
 * pure check. Message rules judge one parsed error text; fact rules (in fact-rules.ts) judge
 * what `check` learned from Kusto.
 */
import type { ParsedMessage } from "../parse-message.js";
import type { RuleMeta } from "../types.js";

export interface MessageRule {
  readonly meta: RuleMeta;
  /** True when this rule explains the message. Among matching rules the lowest priority wins. */
  readonly matches: (m: ParsedMessage) => boolean;
  /** Only met in pasted text (PowerShell, MAA portal), never in SQL telemetry. */
  readonly explainOnly: boolean;
}

/** Seed documents (../shared/seeds), by what they are. */
export const SEED = {
  tsg: "000_39ea41e4cab70e16.txt",
  maaTroubleshooting: "001_c70df96ebd605a32.txt",
  configureAttestation: "002_d05ea7fe60e14b10.txt",
  azureDcap: "003_b6ff611bbd784536.txt",
  maaFaq: "004_9bc69d746f7c8fb6.txt",
} as const;

export const TSG = "TSG: Always Encrypted: Attestation failures";
export const MAA_TSG = "Microsoft Azure Attestation troubleshooting guide";

/** Who acts, as shown to the support engineer. */
export const OWNER = {
  customer: "Customer",
  maa: "Azure Security Engineering/Azure Attestation Service",
  provisioning: "Azure SQL provisioning team",
  deployment: "Azure SQL deployment (fail over; security team follows up)",
  support: "Support engineer",
  css: "Customer Support Services (Azure SQL DB security)",
} as const;

/** Placeholders that rule commands may contain, filled in when the value is known. */
export interface MitigationContext {
  readonly server?: string | null;
  readonly provider?: string | null;
  readonly database?: string | null;
}

/** The rule's mitigation with known values (server, provider, database) filled in. */
export function fillMitigation(meta: RuleMeta, ctx: MitigationContext): RuleMeta["mitigation"] {
  const fill = (s: string) => {
    let out = s;
    if (ctx.server) out = out.replaceAll("<server name>", ctx.server);
    if (ctx.provider) out = out.replaceAll("<attestation provider name>", ctx.provider);
    if (ctx.database) out = out.replaceAll("<database name>", ctx.database);
    return out;
  };
  return { text: fill(meta.mitigation.text), commands: meta.mitigation.commands.map(fill) };
}
