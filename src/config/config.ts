/**
 * Configuration from the environment, validated once at start-up by one zod schema. An invalid
 * configuration lists every problem with the variable name and how to fix it; secrets are never
 * echoed back.
 */
import { z } from "zod";
import { parseDuration } from "../domain/command/fields.js";

/** Variables whose values are never printed. */
export const SECRET_VARIABLES = [
  "MicrosoftAppPassword",
  "SLACK_SIGNING_SECRET",
  "SLACK_BOT_TOKEN",
  "ATTEST_BLOB_CONNECTION_STRING",
] as const;

const optionalText = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s === undefined || s === "" ? undefined : s));

const duration = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      const ms = parseDuration(s?.trim() || fallback);
      if (ms === null || ms <= 0) {
        ctx.addIssue({
          code: "custom",
          message: `must be a duration like 30s, 10m, 3h or 7d, got ${JSON.stringify(s ?? "")}`,
        });
        return z.NEVER;
      }
      return ms;
    });

function wholeNumber(fallback: string, min: number, expected: string) {
  return z
    .string()
    .optional()
    .transform((s, ctx) => {
      const text = s?.trim() || fallback;
      const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      if (!Number.isSafeInteger(n) || n < min) {
        ctx.addIssue({ code: "custom", message: `must be ${expected}, got ${JSON.stringify(s ?? "")}` });
        return z.NEVER;
      }
      return n;
    });
}

const csv = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? "")
      .split(",")
      .map((x) => x.trim())
      .filter((x) => x !== ""),
  );

export const envSchema = z.object({
  ATTEST_KUSTO_CLUSTER_URL: optionalText.pipe(
    z
      .url({
        message:
          "ATTEST_KUSTO_CLUSTER_URL must be the cluster URL, e.g. https://mycluster.westeurope.kusto.windows.net",
      })
      .optional(),
  ),
  ATTEST_KUSTO_DATABASE: optionalText,
  /** Client id of a user-assigned managed identity; unset = DefaultAzureCredential. */
  ATTEST_KUSTO_MANAGED_IDENTITY_CLIENT_ID: optionalText,
  /** JSON data file for the embedded engine (used when no cluster is configured). */
  ATTEST_DATA: optionalText,
  ATTEST_SGX_VM_SIZES: csv.transform((l) => (l.length > 0 ? l : ["SQLDCGen6_2"])),
  ATTEST_DEFAULT_WINDOW: duration("3h"),
  ATTEST_LOAD_WINDOW: duration("7d"),
  ATTEST_QUERY_TIMEOUT: duration("10s"),
  /** How long a Kusto answer is reused by identical questions (seconds; 0 = no cache). */
  ATTEST_KUSTO_CACHE_SECONDS: wholeNumber("60", 0, "0 (no cache) or more seconds, e.g. 60"),
  /** Most Kusto queries in flight at once, all users together. */
  ATTEST_KUSTO_MAX_CONCURRENT: wholeNumber("8", 1, "a whole number of 1 or more, e.g. 8"),
  /** Fleet-wide incidents (issue 14): this many servers failing the same MAA way in one region/provider. */
  ATTEST_INCIDENT_MIN_SERVERS: z
    .string()
    .optional()
    .transform((s, ctx) => {
      const n = Number(s?.trim() || "5");
      if (!Number.isInteger(n) || n < 2 || n > 10_000) {
        ctx.addIssue({
          code: "custom",
          message: `must be a whole number of servers from 2 to 10000, got ${JSON.stringify(s ?? "")}`,
        });
        return z.NEVER;
      }
      return n;
    }),
  /** ... within this window (issue 14). */
  ATTEST_INCIDENT_WINDOW: duration("3h"),
});

/**
 * Rules across variables, checked on the raw values so they are reported together with every
 * per-variable problem (zod skips refinements once a field has failed).
 */
function crossFieldProblems(env: Readonly<Record<string, string | undefined>>): string[] {
  const set = (name: string) => (env[name]?.trim() ?? "") !== "";
  const problems: string[] = [];
  if (set("ATTEST_KUSTO_CLUSTER_URL") && !set("ATTEST_KUSTO_DATABASE"))
    problems.push(
      "ATTEST_KUSTO_DATABASE: required when ATTEST_KUSTO_CLUSTER_URL is set (the database that holds MonSQLSystemHealth)",
    );
  if (set("ATTEST_KUSTO_CLUSTER_URL") && set("ATTEST_DATA"))
    problems.push(
      "ATTEST_DATA: ATTEST_DATA (embedded data) and ATTEST_KUSTO_CLUSTER_URL (a real cluster) exclude each other: unset one",
    );
  return problems;
}

export type Env = z.infer<typeof envSchema>;

export type KustoConfig =
  | {
      readonly mode: "cluster";
      readonly clusterUrl: string;
      readonly database: string;
      readonly managedIdentityClientId: string | null;
    }
  | { readonly mode: "embedded"; readonly dataFile: string | null };

export interface CoreConfig {
  readonly kusto: KustoConfig;
  readonly sgxVmSizes: readonly string[];
  readonly defaultWindowMs: number;
  readonly loadWindowMs: number;
  readonly queryTimeoutMs: number;
  readonly kustoAccess: KustoAccessConfig;
  /** Fleet-wide incidents: servers needed, and the window they fail in together. */
  readonly incidents: { readonly minServers: number; readonly windowMs: number };
}

/** How Kusto questions are shared: the answer cache and the limit on concurrent queries. */
export interface KustoAccessConfig {
  /** 0 = no cache. */
  readonly cacheTtlMs: number;
  readonly maxConcurrent: number;
}

/** Every problem, one line each: `VARIABLE: what is wrong`. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Problems from a zod error, naming the variable, without echoing values. */
export function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join(".") || "(environment)"}: ${i.message}`);
}

/** Every problem of the core settings, one line each (`VARIABLE: what is wrong`); empty when valid. */
export function coreConfigProblems(env: Readonly<Record<string, string | undefined>>): string[] {
  const r = envSchema.safeParse(env);
  return [...(r.success ? [] : problemsOf(r.error)), ...crossFieldProblems(env)];
}

/** Validates the core settings (Kusto and check defaults). Throws ConfigError listing every problem. */
export function loadCoreConfig(env: Readonly<Record<string, string | undefined>>): CoreConfig {
  const problems = coreConfigProblems(env);
  const r = envSchema.safeParse(env);
  if (problems.length > 0 || !r.success) throw new ConfigError(problems);
  const e = r.data;
  return {
    kusto:
      e.ATTEST_KUSTO_CLUSTER_URL && e.ATTEST_KUSTO_DATABASE
        ? {
            mode: "cluster",
            clusterUrl: e.ATTEST_KUSTO_CLUSTER_URL,
            database: e.ATTEST_KUSTO_DATABASE,
            managedIdentityClientId: e.ATTEST_KUSTO_MANAGED_IDENTITY_CLIENT_ID ?? null,
          }
        : { mode: "embedded", dataFile: e.ATTEST_DATA ?? null },
    sgxVmSizes: e.ATTEST_SGX_VM_SIZES,
    defaultWindowMs: e.ATTEST_DEFAULT_WINDOW,
    loadWindowMs: e.ATTEST_LOAD_WINDOW,
    queryTimeoutMs: e.ATTEST_QUERY_TIMEOUT,
    kustoAccess: {
      cacheTtlMs: e.ATTEST_KUSTO_CACHE_SECONDS * 1000,
      maxConcurrent: e.ATTEST_KUSTO_MAX_CONCURRENT,
    },
    incidents: { minServers: e.ATTEST_INCIDENT_MIN_SERVERS, windowMs: e.ATTEST_INCIDENT_WINDOW },
  };
}
