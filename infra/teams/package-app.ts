/**
 * `npm run package:teams`: the Teams app package (manifest.json + the committed icons, zipped at
 * the root with fflate) in dist/teams/attest-bot-teams.zip. Teams refuses a package whose bot id is
 * the zero placeholder and users cannot open dead privacy or terms links, so the package needs:
 *   MicrosoftAppId            the Azure Bot's app id (a GUID, not 00000000-...)
 *   ATTEST_TEAMS_PRIVACY_URL  the privacy statement (https)
 *   ATTEST_TEAMS_TERMS_URL    the terms of use (https)
 *   ATTEST_TEAMS_WEBSITE_URL  optional; the developer website (default: the manifest's)
 * The manifest is validated against infra/teams/manifest.schema.json; nothing is written on a problem.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { zipSync } from "fflate";
import { z } from "zod";

const HERE = dirname(fileURLToPath(import.meta.url));

export const PLACEHOLDER_BOT_ID = "00000000-0000-0000-0000-000000000000";

export interface PackageSettings {
  readonly appId: string | undefined;
  readonly privacyUrl: string | undefined;
  readonly termsUrl: string | undefined;
  readonly websiteUrl?: string | undefined;
}

export const settingsFromEnv = (env: Readonly<Record<string, string | undefined>>): PackageSettings => ({
  appId: env.MicrosoftAppId,
  privacyUrl: env.ATTEST_TEAMS_PRIVACY_URL,
  termsUrl: env.ATTEST_TEAMS_TERMS_URL,
  websiteUrl: env.ATTEST_TEAMS_WEBSITE_URL,
});

type Manifest = {
  bots: { botId: string }[];
  developer: { websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
} & Record<string, unknown>;

/** The manifest with the bot id (the placeholder when `appId` is empty) and the given links filled in. */
export function buildManifest(
  appId: string | undefined,
  links: Partial<Omit<PackageSettings, "appId">> = {},
): Record<string, unknown> {
  const manifest = JSON.parse(readFileSync(join(HERE, "manifest.json"), "utf8")) as Manifest;
  const id = appId?.trim() || PLACEHOLDER_BOT_ID;
  for (const bot of manifest.bots) bot.botId = id;
  if (links.privacyUrl?.trim()) manifest.developer.privacyUrl = links.privacyUrl.trim();
  if (links.termsUrl?.trim()) manifest.developer.termsOfUseUrl = links.termsUrl.trim();
  if (links.websiteUrl?.trim()) manifest.developer.websiteUrl = links.websiteUrl.trim();
  return manifest;
}

/** Problems of `manifest` against the subset schema (empty when valid). */
export function validateManifest(manifest: unknown): string[] {
  const schema = JSON.parse(readFileSync(join(HERE, "manifest.schema.json"), "utf8")) as Record<
    string,
    unknown
  >;
  delete schema.$comment;
  const r = z.fromJSONSchema(schema as never).safeParse(manifest);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
}

/** A link users will open: https, a real host (not example.*, *.invalid, localhost). */
function linkProblem(variable: string, what: string, value: string | undefined): string | null {
  const given = value?.trim();
  if (!given) return `${variable}: required: the https URL of your ${what} (Teams shows it to every user)`;
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    return `${variable}: expected an https URL of your ${what}, got ${JSON.stringify(given)}`;
  }
  if (url.protocol !== "https:") return `${variable}: must be https, got ${JSON.stringify(given)}`;
  if (/(^|\.)(example\.(com|org|net)|invalid|localhost|test)$/i.test(url.hostname))
    return `${variable}: ${url.hostname} is a placeholder host; give the real URL of your ${what}`;
  return null;
}

/** Every problem of `settings` (empty when the package can be built). */
export function settingsProblems(settings: PackageSettings): string[] {
  const problems: string[] = [];
  const id = settings.appId?.trim() ?? "";
  if (id === "") problems.push("MicrosoftAppId: required: the app id (a GUID) of your Azure Bot resource");
  else if (id === PLACEHOLDER_BOT_ID)
    problems.push(
      `MicrosoftAppId: ${PLACEHOLDER_BOT_ID} is the placeholder, not a bot; give your Azure Bot's app id`,
    );
  for (const p of [
    linkProblem("ATTEST_TEAMS_PRIVACY_URL", "privacy statement", settings.privacyUrl),
    linkProblem("ATTEST_TEAMS_TERMS_URL", "terms of use", settings.termsUrl),
    settings.websiteUrl?.trim()
      ? linkProblem("ATTEST_TEAMS_WEBSITE_URL", "website", settings.websiteUrl)
      : null,
  ])
    if (p) problems.push(p);
  return problems;
}

/** The zip bytes of the app package. Throws, listing every problem, when it cannot be built. */
export function buildPackage(settings: PackageSettings): Buffer {
  const problems = settingsProblems(settings);
  if (problems.length === 0) {
    const manifest = buildManifest(settings.appId, settings);
    problems.push(...validateManifest(manifest).map((p) => `manifest ${p}`));
    if (problems.length === 0)
      return Buffer.from(
        zipSync({
          "manifest.json": Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8"),
          "color.png": readFileSync(join(HERE, "color.png")),
          "outline.png": readFileSync(join(HERE, "outline.png")),
        }),
      );
  }
  throw new Error(`cannot build the Teams app package:\n  - ${problems.join("\n  - ")}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? "dist/teams/attest-bot-teams.zip");
  try {
    const archive = buildPackage(settingsFromEnv(process.env));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, archive);
    process.stdout.write(`${out} (${archive.length} bytes)\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
