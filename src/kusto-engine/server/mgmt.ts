/**
 * The management commands the embedded Kusto answers (`/v1/rest/mgmt`): `.show tables` and
 * `.show version`. Anything else is a bad request, as a real cluster says for an unknown command.
 */
import type { DatabaseSchema } from "../schema.js";
import { type V1Response, v1Response } from "./frames.js";

export const ENGINE_VERSION = "1.0.0.0-attest-embedded";

export type MgmtOutcome =
  | { readonly ok: true; readonly body: V1Response }
  | { readonly ok: false; readonly message: string };

/** Answers one management command against `schema`. */
export function runMgmtCommand(command: string, schema: DatabaseSchema, startedAt: number): MgmtOutcome {
  const normalized = command.trim().replace(/\s+/g, " ").toLowerCase();
  if (normalized === ".show tables") {
    return {
      ok: true,
      body: v1Response(
        [
          { name: "TableName", type: "string" },
          { name: "DatabaseName", type: "string" },
          { name: "Folder", type: "string" },
          { name: "DocString", type: "string" },
        ],
        schema.tables.map((t) => [t.name, schema.name, "", t.docString]),
      ),
    };
  }
  if (normalized === ".show version") {
    return {
      ok: true,
      body: v1Response(
        [
          { name: "BuildVersion", type: "string" },
          { name: "BuildTime", type: "datetime" },
          { name: "ServiceType", type: "string" },
          { name: "ProductVersion", type: "string" },
          { name: "ServiceOffering", type: "string" },
        ],
        [[ENGINE_VERSION, startedAt, "Engine", ENGINE_VERSION, '{"Type":"Azure Data Explorer (embedded)"}']],
      ),
    };
  }
  const head = command.trim().split(/\s+/).slice(0, 2).join(" ");
  return {
    ok: false,
    message: `Syntax error: SYN0002: The management command '${head}' is not supported by the embedded engine; supported: .show tables, .show version`,
  };
}
