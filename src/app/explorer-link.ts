/**
 * "Open in Azure Data Explorer": a deep link to the web explorer with the cluster, database and a
 * runnable copy of the query (`declare query_parameters` replaced by `let` bindings of the values
 * used), encoded as the explorer expects: `query=base64(gzip(text))`.
 * https://learn.microsoft.com/en-us/azure/data-explorer/kusto/api/rest/deeplink
 */
import { gzipSync } from "node:zlib";

/** KQL string literal with backslash escapes. */
export function kqlString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r")}"`;
}

/** The query with its parameter declaration turned into `let` statements holding the values. */
export function runnableQuery(text: string, parameters: Readonly<Record<string, string>>): string {
  const m = /^\s*declare\s+query_parameters\s*\(([^)]*)\)\s*;\s*/.exec(text);
  if (!m?.[1]) return text;
  const lets = m[1]
    .split(",")
    .map((p) => {
      const [namePart, rest = ""] = p.split(":");
      const name = (namePart ?? "").trim();
      const [typePart, defaultPart] = rest.split("=");
      const type = (typePart ?? "").trim();
      const value = parameters[name];
      const literal =
        value === undefined ? (defaultPart ?? "").trim() : type === "string" ? kqlString(value) : value;
      return `let ${name} = ${literal};`;
    })
    .join("\n");
  return `${lets}\n${text.slice(m[0].length)}`;
}

/** The web explorer link, or null for the embedded engine (no cluster a browser could open). */
export function explorerLink(
  target: { readonly clusterUrl: string; readonly database: string; readonly embedded: boolean },
  query: { readonly text: string; readonly parameters: Readonly<Record<string, string>> },
): string | null {
  if (target.embedded) return null;
  const host = new URL(target.clusterUrl).host;
  const encoded = gzipSync(Buffer.from(runnableQuery(query.text, query.parameters), "utf8")).toString(
    "base64",
  );
  return `https://dataexplorer.azure.com/clusters/${encodeURIComponent(host)}/databases/${encodeURIComponent(target.database)}?query=${encodeURIComponent(encoded)}`;
}
