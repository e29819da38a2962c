/**
 * `npm run pictures`: for every demo scenario, the check's Adaptive Card rendered to PNG by the
 * `adaptivecards` renderer in headless Chromium, and the Slack reply as HTML (and PNG), under
 * docs/pictures/. Deterministic: the demo data and the clock are pinned. Needs Debian `chromium`
 * (`apt-get install -y chromium`) or CHROMIUM=<path to a Chromium binary>.
 *
 *   npm run pictures                       # every scenario
 *   npm run pictures -- sgxtestuksouthsrv   # only these servers
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PNG } from "pngjs";
import { EngineKustoRunner } from "../src/adapters/kusto/engine-runner.js";
import { viewOfReport } from "../src/app/chat/handle-command.js";
import { loadQueryCatalog } from "../src/app/query-catalog.js";
import { DEFAULT_CHECK_SETTINGS, runCheck } from "../src/app/run-check.js";
import { createEmbeddedEngine } from "../src/compose/kusto-runner.js";
import type { DiagnosisView } from "../src/domain/view/check-view.js";
import { DEMO_SCENARIOS } from "../src/kusto-engine/demo-data.js";
import { fixedClock } from "../src/ports/clock.js";
import { silentLogger } from "../src/ports/log.js";
import { renderDiagnosisCard } from "../src/render/adaptive-card/render-diagnosis-card.js";
import type { AdaptiveCardJson } from "../src/render/adaptive-card/templates.js";
import { renderDiagnosis } from "../src/render/block-kit/render-diagnosis.js";
import { slackMessageHtml } from "./slack-html.js";
import { playgroundPalette } from "./teams-palette.js";

const REPO = fileURLToPath(new URL("../", import.meta.url));
/** The pictures' "now": the demo data is generated relative to it. */
export const PICTURES_NOW = Date.UTC(2026, 10, 24, 9, 0, 0);
const BACKGROUND = "#f3f2f1";

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--hide-scrollbars",
  "--force-device-scale-factor=1",
];

/** The Chromium binary: $CHROMIUM, else chromium / chromium-browser on PATH; null when absent. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CHROMIUM) return existsSync(env.CHROMIUM) ? env.CHROMIUM : null;
  for (const dir of (env.PATH ?? "").split(delimiter))
    for (const name of ["chromium", "chromium-browser"])
      if (existsSync(join(dir, name))) return join(dir, name);
  return null;
}

/**
 * The host config the pictures render cards with: the container styles (backgrounds and text
 * colours) of the one Agents Playground (a Teams look-alike) uses, read from its bundle, so the
 * pictures show the colours a Teams reader sees, pale ones included.
 */
export function cardHostConfig() {
  return {
    fontFamily: "'Segoe UI', 'Helvetica Neue', Arial, sans-serif",
    containerStyles: playgroundPalette(),
    actions: { actionsOrientation: "horizontal", buttonSpacing: 8, maxActions: 6 },
  };
}

/**
 * An HTML page that renders `card` with the adaptivecards renderer (scripts inlined: no network),
 * in a 640 px wide box styled as Teams hosts cards.
 */
export function cardPage(card: unknown, title: string): string {
  const lib = (path: string) => readFileSync(join(REPO, "node_modules", path), "utf8");
  const hostConfig = cardHostConfig();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>
  /* Teams (and Agents Playground) size every box border-box: the renderer gives a Markdown list
     width 100%, which with content-box sizing adds the list's indent to the block's width. */
  *, *::before, *::after { box-sizing: border-box; }
  body { margin: 0; padding: 16px; background: ${BACKGROUND}; }
  #card { width: 640px; background: #fff; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.15); overflow: hidden; }
  .ac-pushButton { border: 1px solid #d1d1d1; background: #fff; border-radius: 4px; padding: 5px 12px; font: 600 14px 'Segoe UI', Arial, sans-serif; color: #242424; }
  .ac-textBlock p { margin: 0; } .ac-textBlock code { font-family: Consolas, monospace; }
  /* Teams' renderer (as in Agents Playground) keeps a TextRun's white space: code keeps its indentation. */
  .ac-textRun { white-space: pre-wrap; }
  table { border-collapse: collapse; }
</style>
<script>${lib("markdown-it/dist/browser/markdown-it.umd.min.js")}</script>
<script>${lib("adaptivecards/dist/adaptivecards.min.js")}</script>
</head><body><div id="card"></div>
<script>
  const md = window.markdownit();
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => { result.outputHtml = md.render(text); result.didProcess = true; };
  const card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = new AdaptiveCards.HostConfig(${JSON.stringify(hostConfig)});
  card.parse(${JSON.stringify(card)});
  document.getElementById("card").appendChild(card.render());
</script></body></html>
`;
}

/** Crops the blank bottom of a screenshot (rows of the page background only), keeping a margin. */
function cropBottom(file: string, background: [number, number, number], margin = 16): void {
  const png = PNG.sync.read(readFileSync(file));
  let last = 0;
  for (let y = 0; y < png.height; y++)
    for (let x = 0; x < png.width; x++) {
      const i = (y * png.width + x) * 4;
      const d =
        Math.abs(png.data[i]! - background[0]) +
        Math.abs(png.data[i + 1]! - background[1]) +
        Math.abs(png.data[i + 2]! - background[2]);
      if (d > 6) {
        last = y;
        break;
      }
    }
  const height = Math.min(png.height, last + 1 + margin);
  const out = new PNG({ width: png.width, height });
  png.data.copy(out.data, 0, 0, png.width * height * 4);
  writeFileSync(file, PNG.sync.write(out));
}

function screenshot(
  chromium: string,
  page: string,
  out: string,
  workDir: string,
  background: [number, number, number],
) {
  const r = spawnSync(
    chromium,
    [
      ...CHROMIUM_FLAGS,
      `--user-data-dir=${join(workDir, "profile")}`,
      "--window-size=720,4000",
      `--screenshot=${out}`,
      pathToFileURL(page).href,
    ],
    { encoding: "utf8", timeout: 60_000 },
  );
  if (r.status !== 0 || !existsSync(out))
    throw new Error(`chromium could not take the screenshot of ${page} (exit ${r.status}):\n${r.stderr}`);
  cropBottom(out, background);
}

export interface Picture {
  readonly server: string;
  readonly scenario: string;
  readonly teamsPng: string;
  readonly slackPng: string;
  readonly slackHtml: string;
}

/** The demo scenarios named by `servers` (default: every one); an unknown name is an error. */
function demoScenarios(servers?: readonly string[]): typeof DEMO_SCENARIOS {
  if (!servers?.length) return DEMO_SCENARIOS;
  return servers.map((s) => {
    const found = DEMO_SCENARIOS.find((d) => d.server === s);
    if (!found)
      throw new Error(
        `unknown demo server ${s}; expected one of ${DEMO_SCENARIOS.map((d) => d.server).join(", ")}`,
      );
    return found;
  });
}

export interface DemoCheck {
  readonly server: string;
  readonly scenario: string;
  readonly view: DiagnosisView;
  /** The check's Adaptive Card, as the bot sends it. */
  readonly card: AdaptiveCardJson;
}

/** Each demo scenario's check (embedded engine, clock at PICTURES_NOW), its view and its card. */
export async function* demoChecks(servers?: readonly string[]): AsyncGenerator<DemoCheck> {
  const clock = fixedClock(PICTURES_NOW);
  const kusto = new EngineKustoRunner(createEmbeddedEngine(null, clock), clock);
  const catalog = loadQueryCatalog();
  for (const s of demoScenarios(servers)) {
    const report = await runCheck(
      { kusto, catalog, clock, logger: silentLogger, settings: DEFAULT_CHECK_SETTINGS },
      { server: s.server, database: null, url: null, sinceMs: null },
    );
    const view = viewOfReport(report);
    yield { server: s.server, scenario: s.scenario, view, card: renderDiagnosisCard(view).card };
  }
}

/** Renders the pictures of `servers` (default: every demo scenario) into `outDir`. */
export async function renderPictures(options: {
  readonly outDir: string;
  readonly chromium: string;
  readonly servers?: readonly string[];
}): Promise<Picture[]> {
  demoScenarios(options.servers); // an unknown server fails before anything is written
  mkdirSync(options.outDir, { recursive: true });
  const workDir = mkdtempSync(join(tmpdir(), "attest-pictures-"));
  const pictures: Picture[] = [];
  try {
    for await (const { server, scenario, view, card } of demoChecks(options.servers)) {
      const cardHtml = join(workDir, `${server}-teams.html`);
      writeFileSync(cardHtml, cardPage(card, `attest check ${server}`));
      const teamsPng = join(options.outDir, `${server}-teams.png`);
      screenshot(options.chromium, cardHtml, teamsPng, workDir, [0xf3, 0xf2, 0xf1]);
      const slackHtml = join(options.outDir, `${server}-slack.html`);
      writeFileSync(
        slackHtml,
        slackMessageHtml(
          renderDiagnosis(view, { ref: "pictures", offerPost: true }),
          `/attest check ${server}`,
        ),
      );
      const slackPng = join(options.outDir, `${server}-slack.png`);
      screenshot(options.chromium, slackHtml, slackPng, workDir, [0xff, 0xff, 0xff]);
      pictures.push({ server, scenario, teamsPng, slackPng, slackHtml });
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return pictures;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const servers = process.argv.slice(2);
  const known = new Set(DEMO_SCENARIOS.map((d) => d.server));
  const unknown = servers.filter((s) => !known.has(s));
  if (unknown.length > 0) {
    process.stderr.write(
      `npm run pictures -- [demo server ...]: ${unknown.join(", ")} is not a demo server; expected any of ${[...known].join(", ")} (none: all of them)\n`,
    );
    process.exit(2);
  }
  const chromium = findChromium();
  if (!chromium) {
    process.stderr.write(
      "npm run pictures needs Chromium: apt-get update && apt-get install -y chromium (Debian), or CHROMIUM=/path/to/chromium\n",
    );
    process.exit(2);
  }
  const outDir = join(REPO, "docs", "pictures");
  const pictures = await renderPictures({ outDir, chromium, servers });
  for (const p of pictures) process.stdout.write(`${p.server}: ${p.teamsPng}, ${p.slackPng}\n`);
}
