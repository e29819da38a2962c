/**
 * The query catalog: one `.kql` file per question in `queries/`. Query text is fixed; user input
 * travels only as query parameters (declared on the file's first line).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const QUERY_NAMES = [
  "attestation-failures",
  "enclave-events",
  "database-slo",
  "placement",
  "fleet-summary",
  "fleet-incidents",
] as const;
export type QueryName = (typeof QUERY_NAMES)[number];

export interface CatalogQuery {
  readonly name: QueryName;
  /** Path relative to the repository root, for links and messages. */
  readonly file: string;
  readonly text: string;
  /** Parameter names in the order `declare query_parameters(...)` lists them. */
  readonly parameters: readonly string[];
}

export type QueryCatalog = Readonly<Record<QueryName, CatalogQuery>>;

const QUERIES_DIR = fileURLToPath(new URL("../../queries/", import.meta.url));

/** Names declared by the leading `declare query_parameters(...)` statement. */
export function declaredParameters(text: string): string[] {
  const m = /^\s*declare\s+query_parameters\s*\(([^)]*)\)\s*;/.exec(text);
  if (!m?.[1]) return [];
  return m[1]
    .split(",")
    .map((p) => p.split(":")[0]?.trim() ?? "")
    .filter((p) => p.length > 0);
}

/** Reads every catalog file once (at start-up). Throws naming the file when one is missing. */
export function loadQueryCatalog(dir: string = QUERIES_DIR): QueryCatalog {
  const entries = QUERY_NAMES.map((name): [QueryName, CatalogQuery] => {
    const file = `queries/${name}.kql`;
    let text: string;
    try {
      text = readFileSync(`${dir}/${name}.kql`, "utf8");
    } catch (cause) {
      throw new Error(`query catalog: cannot read ${file} (looked in ${dir})`, { cause });
    }
    return [name, { name, file, text, parameters: declaredParameters(text) }];
  });
  return Object.fromEntries(entries) as Record<QueryName, CatalogQuery>;
}
