/**
 * The colours a Teams-like client draws a card with: the Adaptive Card host config that Microsoft
 * 365 Agents Playground (the pinned devDependency, a Teams look-alike) renders cards with, read
 * from its web bundle. Container styles give a background and, per colour name, the text colour
 * (`#AARRGGBB` or `#RRGGBB`), plain and subtle.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface ContainerPalette {
  readonly backgroundColor: string;
  readonly foregroundColors: Readonly<Record<string, { readonly default: string; readonly subtle: string }>>;
}
export type Palette = Readonly<Record<string, ContainerPalette>>;

/** The playground's host config container styles (default, emphasis, good, attention, warning, accent). */
export function playgroundPalette(): Palette {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve("@microsoft/m365agentsplayground/package.json"));
  const dir = join(root, "dist", "client", "static", "js");
  const bundle = readdirSync(dir).find((f) => /^main\.[0-9a-f]+\.js$/.test(f));
  if (!bundle) throw new Error(`no main.<hash>.js in ${dir}: the playground's layout changed`);
  const js = readFileSync(join(dir, bundle), "utf8");
  const start = js.indexOf('{"choiceSetInputValueSeparator"');
  if (start < 0) throw new Error(`no Adaptive Card host config in ${bundle}: the playground changed`);
  let depth = 0;
  let end = start;
  for (; end < js.length; end++) {
    if (js[end] === "{") depth++;
    else if (js[end] === "}" && --depth === 0) break;
  }
  const hostConfig = JSON.parse(js.slice(start, end + 1).replace(/\\'/g, "'")) as {
    containerStyles: Palette;
  };
  return hostConfig.containerStyles;
}

type Rgb = readonly [number, number, number];

/** `#RRGGBB` or `#AARRGGBB` as an opaque colour, blended over `under` by its alpha. */
export function rgb(color: string, under: Rgb = [255, 255, 255]): Rgb {
  const hex = color.replace("#", "");
  const [a, r, g, b] =
    hex.length === 8
      ? [0, 2, 4, 6].map((i) => Number.parseInt(hex.slice(i, i + 2), 16))
      : [255, ...[0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16))];
  const alpha = (a ?? 255) / 255;
  return [r!, g!, b!].map((c, i) => Math.round(alpha * c + (1 - alpha) * under[i]!)) as unknown as Rgb;
}

/** WCAG 2 contrast ratio of two opaque colours (1 to 21). */
export function contrast(x: Rgb, y: Rgb): number {
  const lum = (c: Rgb) => {
    const [r, g, b] = c.map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [hi, lo] = [lum(x), lum(y)].sort((a, b) => b - a);
  return (hi! + 0.05) / (lo! + 0.05);
}
