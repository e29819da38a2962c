/**
 * `npm run package:teams`: the Teams app package (manifest.json + icons, zipped at the root) in
 * dist/teams/attest-bot-teams.zip. The bot id comes from MicrosoftAppId; the manifest is validated
 * against infra/teams/manifest.schema.json first and the package is not written when it fails.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { colorIcon, outlineIcon } from "./png.js";
import { zip } from "./zip.js";

const HERE = dirname(fileURLToPath(import.meta.url));

export const PLACEHOLDER_BOT_ID = "00000000-0000-0000-0000-000000000000";

/** The manifest with the bot id filled in (the placeholder when `appId` is empty). */
export function buildManifest(appId: string | undefined): Record<string, unknown> {
  const manifest = JSON.parse(readFileSync(join(HERE, "manifest.json"), "utf8")) as {
    bots: { botId: string }[];
  } & Record<string, unknown>;
  const id = appId?.trim() || PLACEHOLDER_BOT_ID;
  for (const bot of manifest.bots) bot.botId = id;
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

/** The zip bytes of the app package. Throws when the manifest is invalid. */
export function buildPackage(appId: string | undefined): Buffer {
  const manifest = buildManifest(appId);
  const problems = validateManifest(manifest);
  if (problems.length > 0) throw new Error(`invalid Teams manifest:\n  - ${problems.join("\n  - ")}`);
  return zip([
    { name: "manifest.json", data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8") },
    { name: "color.png", data: colorIcon() },
    { name: "outline.png", data: outlineIcon() },
  ]);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const appId = process.env.MicrosoftAppId;
  const out = resolve(process.argv[2] ?? "dist/teams/attest-bot-teams.zip");
  const archive = buildPackage(appId);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, archive);
  // Keep the icons next to the manifest too, so the folder can be sideloaded by hand.
  writeFileSync(join(HERE, "color.png"), colorIcon());
  writeFileSync(join(HERE, "outline.png"), outlineIcon());
  if (!appId?.trim())
    process.stderr.write(
      `warning: MicrosoftAppId is not set; the package uses the placeholder bot id ${PLACEHOLDER_BOT_ID}\n`,
    );
  process.stdout.write(`${out} (${archive.length} bytes)\n`);
}
