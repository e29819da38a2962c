/** A small text sparkline: one block per value, scaled to the largest; zero is the lowest block. */
const BLOCKS = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] as const;

export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values
    .map((v) => {
      if (v <= 0 || max === 0) return BLOCKS[0];
      // Non-zero values use blocks 2..8 so that "a few" never looks like "none".
      const i = 1 + Math.round((v / max) * (BLOCKS.length - 2));
      return BLOCKS[Math.min(BLOCKS.length - 1, i)];
    })
    .join("");
}
