// The standard normal distribution: its CDF and its inverse, for z values and p-values.
//
// Hand-written on purpose: these are two textbook approximations (Abramowitz & Stegun 7.1.26 would be
// too coarse in the tails, so the CDF uses W. J. Cody's erfc rational form via Hart's algorithm 5666,
// and the inverse uses Peter Acklam's rational approximation, relative error < 1.15e-9). A statistics
// package would pull in hundreds of functions to use these two, and the core must stay dependency-light.

/** P(Z <= z) for a standard normal Z (Hart 1968, algorithm 5666; absolute error < 1e-14). */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z === Number.POSITIVE_INFINITY) return 1;
  if (z === Number.NEGATIVE_INFINITY) return 0;
  const x = Math.abs(z);
  let p: number;
  if (x > 37) p = 0;
  else {
    const e = Math.exp((-x * x) / 2);
    if (x < 7.07106781186547) {
      let n = 0.0352624965998911 * x + 0.700383064443688;
      n = n * x + 6.37396220353165;
      n = n * x + 33.912866078383;
      n = n * x + 112.079291497871;
      n = n * x + 221.213596169931;
      n = n * x + 220.206867912376;
      let d = 0.0883883476483184 * x + 1.75566716318264;
      d = d * x + 16.064177579207;
      d = d * x + 86.7807322029461;
      d = d * x + 296.564248779674;
      d = d * x + 637.333633378831;
      d = d * x + 793.826512519948;
      d = d * x + 440.413735824752;
      p = (e * n) / d;
    } else {
      const d = x + 1 / (x + 2 / (x + 3 / (x + 4 / (x + 0.65))));
      p = e / d / 2.506628274631;
    }
  }
  return z > 0 ? 1 - p : p;
}

const A = [
  -39.6968302866538, 220.946098424521, -275.928510446969, 138.357751867269, -30.6647980661472,
  2.50662827745924,
];
const B = [-54.4760987982241, 161.585836858041, -155.698979859887, 66.8013118877197, -13.2806815528857];
const C = [
  -0.00778489400243029, -0.322396458041136, -2.40075827716184, -2.54973253934373, 4.37466414146497,
  2.93816398269878,
];
const D = [0.00778469570904146, 0.32246712907004, 2.445134137143, 3.75440866190742];

/** The z with P(Z <= z) = p (Acklam's algorithm). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    return Number.NaN;
  }
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) /
      ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) /
    (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1)
  );
}
