/**
 * infra/azure/main.bicep sets every variable the bot requires outside local mode: the container's
 * environment, as the template builds it from infra/azure/main.parameters.example.json, passes the
 * bot's own start-up validation (core, Teams, Slack and digest store settings) with no problem.
 * There is no Bicep compiler here, so the template is read as text: environment entries
 * `{ name: 'X', value: <expr> }` / `{ name: 'X', secretRef: 'y' }`, parameters and Key Vault secrets.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { digestStoreConfig } from "../../../src/adapters/digest/compose.js";
import { slackConfigFrom } from "../../../src/adapters/slack/config.js";
import { teamsConfigFrom } from "../../../src/adapters/teams/routes.js";
import { coreConfigProblems, loadCoreConfig } from "../../../src/config/config.js";

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8");
const bicep = read("infra/azure/main.bicep");
const example = JSON.parse(read("infra/azure/main.parameters.example.json")) as {
  parameters: Record<string, { value: string }>;
};

/** `param name type [= default]`, with whether it has a default. */
const params = new Map(
  [...bicep.matchAll(/^param (\w+) \w+( = .*)?$/gm)].map((m) => [m[1]!, m[2] !== undefined] as const),
);

/** Values of expressions the template takes from Azure at deployment (resource properties). */
const DEPLOYMENT_VALUES: Record<string, string> = {
  "identity.properties.clientId": "33333333-3333-3333-3333-333333333333",
  botAppId: "33333333-3333-3333-3333-333333333333",
  "subscription().tenantId": "11111111-1111-1111-1111-111111111111",
  "storage.properties.primaryEndpoints.blob": "https://attestbotxyz.blob.core.windows.net/",
  "insights.properties.ConnectionString": "InstrumentationKey=00000000-0000-0000-0000-000000000000",
};

function paramValue(name: string): string {
  if (!params.has(name)) throw new Error(`main.bicep has no parameter ${name}`);
  const given = example.parameters[name]?.value;
  if (given !== undefined) return given;
  const fallback = new RegExp(`^param ${name} \\w+ = '(.*)'$`, "m").exec(bicep)?.[1];
  if (fallback === undefined) throw new Error(`parameter ${name} has no value in the example and no default`);
  return fallback;
}

/** A secretRef's value: the Key Vault secret it references, and the parameter stored there. */
function secretValue(secretName: string): string {
  const ref = new RegExp(`name: '${secretName}', keyVaultUrl: (\\w+)\\.properties\\.secretUri`).exec(bicep);
  if (!ref) throw new Error(`secret ${secretName} is not a Key Vault reference`);
  const resource = new RegExp(`resource ${ref[1]} [^{]*\\{[^}]*properties: \\{ value: (\\w+) \\}`).exec(
    bicep,
  );
  if (!resource) throw new Error(`Key Vault secret resource ${ref[1]} not found`);
  return paramValue(resource[1]!);
}

function evaluate(expression: string): string {
  const e = expression.trim();
  const literal = /^'(.*)'$/.exec(e);
  if (literal) return literal[1]!;
  if (params.has(e)) return paramValue(e);
  const known = DEPLOYMENT_VALUES[e];
  if (known === undefined)
    throw new Error(`the test does not know the value of ${e}: add it to DEPLOYMENT_VALUES`);
  return known;
}

/** The container's environment: every entry the template can set (the example turns Slack on). */
const env: Record<string, string> = {};
for (const m of bicep.matchAll(/\{ name: '(\w+)', (value|secretRef): ([^}]+?) \}/g)) {
  const [, name, kind, expression] = m;
  env[name!] = kind === "value" ? evaluate(expression!) : secretValue(evaluate(expression!));
}

describe("infra/azure/main.bicep", () => {
  it("the example parameters give every required parameter, and name only parameters the template has", () => {
    for (const [name, hasDefault] of params)
      if (!hasDefault) expect(example.parameters, `required parameter ${name}`).toHaveProperty(name);
    for (const name of Object.keys(example.parameters)) expect(params.has(name), name).toBe(true);
  });

  it("sets a bot identity, so the bot is not in local mode and listens publicly", () => {
    expect(env.MicrosoftAppId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("passes the bot's own validation outside local mode: core, Teams, Slack and the digest store", () => {
    expect(coreConfigProblems(env)).toEqual([]);
    expect(loadCoreConfig(env).kusto.mode).toBe("cluster");
    const teams = teamsConfigFrom(env, false);
    expect(teams.problems).toEqual([]);
    expect(teams.value?.allowedTenants.length).toBeGreaterThan(0);
    const slack = slackConfigFrom(env, false);
    expect(slack.problems).toEqual([]);
    expect(slack.value).not.toBeNull();
    const store = digestStoreConfig(env);
    expect(store.problems).toEqual([]);
    expect(store.value).toMatchObject({ kind: "blob", container: "attest-bot" });
  });

  it("every allow-list and required setting is a parameter", () => {
    for (const [variable, param] of [
      ["ATTEST_TEAMS_ALLOWED_TENANTS", "teamsAllowedTenants"],
      ["ATTEST_SLACK_ALLOWED_TEAMS", "slackAllowedTeams"],
      ["ATTEST_SLACK_ALLOWED_CHANNELS", "slackAllowedChannels"],
      ["ATTEST_KUSTO_CLUSTER_URL", "kustoClusterUrl"],
      ["ATTEST_KUSTO_DATABASE", "kustoDatabase"],
    ])
      expect(bicep).toMatch(new RegExp(`\\{ name: '${variable}', value: ${param} \\}`));
  });

  it("keeps secrets in Key Vault: every secret the app uses is a Key Vault reference read by the managed identity", () => {
    const secrets = [
      ...bicep.matchAll(
        /\{ name: '([\w-]+)', keyVaultUrl: \w+\.properties\.secretUri, identity: identity\.id \}/g,
      ),
    ];
    expect(secrets.map((s) => s[1]).sort()).toEqual([
      "bot-password",
      "slack-bot-token",
      "slack-signing-secret",
    ]);
    for (const m of bicep.matchAll(/secretRef: '([\w-]+)'/g))
      expect(secrets.map((s) => s[1])).toContain(m[1]);
    expect(bicep).not.toMatch(/secrets: \[[^\]]*\bvalue:/);
  });

  it("has the Azure Bot with the Teams channel, Container Apps, storage, Application Insights and Key Vault", () => {
    for (const type of [
      "Microsoft.BotService/botServices@",
      "Microsoft.BotService/botServices/channels@",
      "Microsoft.App/containerApps@",
      "Microsoft.ManagedIdentity/userAssignedIdentities@",
      "Microsoft.Storage/storageAccounts/blobServices/containers@",
      "Microsoft.Insights/components@",
      "Microsoft.KeyVault/vaults@",
    ])
      expect(bicep).toContain(`'${type}`);
    expect(bicep).toContain("channelName: 'MsTeamsChannel'");
  });

  it("the README's deploy command is the one the template documents", () => {
    const command = /az deployment group create [^\n]*main\.bicep[^\n]*/.exec(bicep)?.[0];
    expect(command).toBeDefined();
    expect(read("README.md")).toContain(command!);
  });
});
