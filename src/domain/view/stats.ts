/**
 * `attest stats`: the feedback tally per rule, worst first, with a flag on rules whose mitigation
 * often does not fix the problem (at least MIN_ANSWERS answers and under half fixed). Pure.
 */
export interface TallyInput {
  readonly rule: string;
  readonly fixed: number;
  readonly notFixed: number;
  readonly lastAt: string;
}

export interface StatsRow extends TallyInput {
  readonly answers: number;
  /** Whole percent of answers that said "fixed". */
  readonly fixRatePercent: number;
  /** "often does not fix" when the rule needs a look; null otherwise. */
  readonly flag: string | null;
}

export const MIN_ANSWERS = 3;

export function statsRows(tally: readonly TallyInput[]): StatsRow[] {
  return tally
    .map((t) => {
      const answers = t.fixed + t.notFixed;
      const rate = answers === 0 ? 0 : t.fixed / answers;
      return {
        ...t,
        answers,
        fixRatePercent: Math.round(rate * 100),
        flag: answers >= MIN_ANSWERS && rate < 0.5 ? "often does not fix" : null,
      };
    })
    .sort(
      (a, b) => a.fixRatePercent - b.fixRatePercent || b.answers - a.answers || a.rule.localeCompare(b.rule),
    );
}
