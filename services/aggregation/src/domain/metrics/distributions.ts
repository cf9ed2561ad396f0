import { InvalidMetricInputError } from './errors';

/**
 * The standard normal and Student t distributions, computed (not tabled) from two special functions: the regularized
 * incomplete gamma function (normal: Φ(z) = 1 − Q(½, z²/2) / 2 for z ≥ 0) and the regularized incomplete beta function
 * (Student t: P(|T| > t) = I_{ν/(ν+t²)}(ν/2, ½)), both by the series and continued fractions of Numerical Recipes
 * (Press et al., 3rd ed., §6.2 and §6.4; DLMF 8.7.1, 8.9.2, 8.17.22, 26.7). Quantiles invert the distribution
 * function by bisection to the last bit of a double, so t quantiles agree with printed tables to every printed decimal.
 */

const RELATIVE_TOLERANCE = 1e-15;
const TINY = 1e-300;
// The continued fraction of I_x(a, b) needs O(√max(a, b)) terms (Numerical Recipes §6.4): enough for ν in the millions.
const MAX_TERMS = 100_000;

// Lanczos approximation with g = 7 and 9 terms (Godfrey's coefficients, as in Numerical Recipes §6.1), relative error
// below 1e-15 for x ≥ ½, the only arguments used here (½ and halves of degrees of freedom ≥ 1).
const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905,
  -0.13857109526572012, 0.000009984369578019572, 1.5056327351493116e-7,
] as const;
const LOG_SQRT_TWO_PI = 0.5 * Math.log(2 * Math.PI);

function logGamma(x: number): number {
  const z = x - 1;
  let series = LANCZOS_COEFFICIENTS[0];
  for (let k = 1; k < LANCZOS_COEFFICIENTS.length; k++) series += (LANCZOS_COEFFICIENTS[k] ?? 0) / (z + k);
  const t = z + LANCZOS_G + 0.5;
  return LOG_SQRT_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(series);
}

function notConverged(what: string): never {
  throw new Error(`${what} did not converge in ${MAX_TERMS} terms`);
}

/** Q(a, x) = Γ(a, x) / Γ(a), the upper tail of the regularized incomplete gamma function. */
function regularizedUpperGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const logPrefactor = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    // Series for P(a, x) (DLMF 8.7.1), which converges fast below a + 1.
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n <= MAX_TERMS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * RELATIVE_TOLERANCE) return 1 - sum * Math.exp(logPrefactor);
    }
    return notConverged('The incomplete gamma series');
  }
  // Continued fraction for Q(a, x) (DLMF 8.9.2) by the modified Lentz method.
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let fraction = d;
  for (let n = 1; n <= MAX_TERMS; n++) {
    const an = -n * (n - a);
    b += 2;
    d = nonZero(an * d + b);
    c = nonZero(b + an / c);
    d = 1 / d;
    const step = d * c;
    fraction *= step;
    if (Math.abs(step - 1) < RELATIVE_TOLERANCE) return fraction * Math.exp(logPrefactor);
  }
  return notConverged('The incomplete gamma continued fraction');
}

function nonZero(value: number): number {
  return Math.abs(value) < TINY ? TINY : value;
}

/** I_x(a, b), the regularized incomplete beta function, for 0 ≤ x ≤ 1 and a, b ≥ ½. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logPrefactor = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  // The continued fraction converges fast for x below (a + 1) / (a + b + 2); above it, use I_x(a, b) = 1 − I_{1−x}(b, a).
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logPrefactor) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logPrefactor) * betaContinuedFraction(1 - x, b, a)) / b;
}

/** The continued fraction of DLMF 8.17.22, evaluated by the modified Lentz method (Numerical Recipes §6.4 `betacf`). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  let c = 1;
  let d = 1 / nonZero(1 - ((a + b) * x) / (a + 1));
  let fraction = d;
  for (let m = 1; m <= MAX_TERMS; m++) {
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 / nonZero(1 + even * d);
    c = nonZero(1 + even / c);
    fraction *= d * c;
    const odd = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 / nonZero(1 + odd * d);
    c = nonZero(1 + odd / c);
    const step = d * c;
    fraction *= step;
    if (Math.abs(step - 1) < RELATIVE_TOLERANCE) return fraction;
  }
  return notConverged('The incomplete beta continued fraction');
}

/** Φ(z), the standard normal distribution function. */
export function standardNormalCdf(z: number): number {
  const tail = regularizedUpperGamma(0.5, (z * z) / 2) / 2;
  return z < 0 ? tail : 1 - tail;
}

/** P(|Z| ≥ |z|) for a standard normal Z: the two-sided p-value of a z statistic. */
export function normalTwoSidedPValue(z: number): number {
  return regularizedUpperGamma(0.5, (z * z) / 2);
}

/** The p-quantile of the standard normal distribution (e.g. 0.975 → 1.959964). */
export function standardNormalQuantile(p: number): number {
  assertProbability(p);
  return invertDistribution(standardNormalCdf, p);
}

function assertDegreesOfFreedom(degreesOfFreedom: number): void {
  if (!(degreesOfFreedom >= 1) || degreesOfFreedom === Number.POSITIVE_INFINITY) {
    throw new InvalidMetricInputError(`Degrees of freedom must be a finite number ≥ 1, not ${degreesOfFreedom}`);
  }
}

/** P(|T| ≥ |t|) for Student's t with ν degrees of freedom (ν may be fractional, as in Welch's test). */
export function studentTTwoSidedPValue(t: number, degreesOfFreedom: number): number {
  assertDegreesOfFreedom(degreesOfFreedom);
  return regularizedIncompleteBeta(degreesOfFreedom / (degreesOfFreedom + t * t), degreesOfFreedom / 2, 0.5);
}

export function studentTCdf(t: number, degreesOfFreedom: number): number {
  const tail = studentTTwoSidedPValue(t, degreesOfFreedom) / 2;
  return t < 0 ? tail : 1 - tail;
}

/** The p-quantile of Student's t with ν degrees of freedom (e.g. p = 0.975, ν = 10 → 2.228). */
export function studentTQuantile(p: number, degreesOfFreedom: number): number {
  assertProbability(p);
  assertDegreesOfFreedom(degreesOfFreedom);
  return invertDistribution((t) => studentTCdf(t, degreesOfFreedom), p);
}

function assertProbability(p: number): void {
  if (!(p > 0 && p < 1)) throw new InvalidMetricInputError(`A probability strictly between 0 and 1, not ${p}`);
}

export function assertConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new InvalidMetricInputError(`A confidence level strictly between 0 and 1, not ${confidence}`);
  }
}

/** The quantile level whose value bounds a two-sided interval of the given confidence: (1 + c) / 2, 0.975 for 95 %. */
export function upperQuantileLevel(confidence: number): number {
  assertConfidence(confidence);
  return (1 + confidence) / 2;
}

/** The x where an increasing distribution function reaches p, by bisection until no double lies between the bounds. */
function invertDistribution(cdf: (x: number) => number, p: number): number {
  let lower = -1;
  let upper = 1;
  while (cdf(lower) > p) lower *= 2;
  while (cdf(upper) < p) upper *= 2;
  for (;;) {
    const middle = lower + (upper - lower) / 2;
    if (middle === lower || middle === upper) return middle;
    if (cdf(middle) < p) lower = middle;
    else upper = middle;
  }
}
