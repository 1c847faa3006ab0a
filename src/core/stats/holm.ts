// Holm–Bonferroni step-down: which of m hypotheses to reject so that the chance of any false rejection
// (here: a false FAIL, a false alarm in the go/no-go meeting) stays at most alpha across the family.
// It is uniformly more powerful than plain Bonferroni and needs no assumption about dependence between
// the tests (Holm 1979, Scandinavian Journal of Statistics 6:65–70).

/** For each p-value, whether Holm's procedure at family-wise level alpha rejects it. */
export function holmReject(pValues: readonly number[], alpha: number): boolean[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const rejected = new Array<boolean>(m).fill(false);
  for (let k = 0; k < m; k++) {
    const [p, i] = order[k]!;
    if (p > alpha / (m - k)) break;
    rejected[i] = true;
  }
  return rejected;
}

/** Holm-adjusted p-values (monotone), for showing how strong each rejection was. */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const adjusted = new Array<number>(m).fill(1);
  let running = 0;
  for (let k = 0; k < m; k++) {
    const [p, i] = order[k]!;
    running = Math.max(running, Math.min(1, (m - k) * p));
    adjusted[i] = running;
  }
  return adjusted;
}
