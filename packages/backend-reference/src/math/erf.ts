// erf and erfc to about 1e-16 relative precision; JavaScript has no Math.erf.
//
// |x| < 2.5: the everywhere-positive series (Abramowitz & Stegun 7.1.6)
//   erf(x) = (2/√π) e^(-x²) Σ_n 2^n x^(2n+1) / (1·3·5···(2n+1)),
// whose terms never alternate, so no digits cancel.
// x ≥ 2.5: the continued fraction (A&S 7.1.14), evaluated with the modified Lentz method,
//   erfc(x) = e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))).
// erfc(x) for x < 2.5 is 1 - erf(x), which loses at most ~1e-11 relative near x = 2.5
// (erfc(2.5) ≈ 4e-4) and nothing for x ≤ 0.

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);
const SWITCH = 2.5;

function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfc(x) for x ≥ SWITCH by the continued fraction K(a_n / x) with a_n = n/2. */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  // f = x + a1/(x + a2/(x + ...)), Lentz: f_j = f_{j-1}·C_j·D_j.
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-17) break;
  }
  return (ONE_OVER_SQRT_PI * Math.exp(-x * x)) / f;
}

/** The error function erf(x) = (2/√π) ∫₀ˣ e^(−t²) dt, to about 1e-16 relative. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x < 0) return -erf(-x);
  if (x < SWITCH) return erfSeries(x);
  if (x >= 6) return 1; // erfc(6) ≈ 2e-17 is below half an ulp of 1
  return 1 - erfcContinuedFraction(x);
}

/**
 * The complementary error function 1 − erf(x), accurate in the tail where 1 − erf(x) would lose
 * every digit.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x < SWITCH) return 1 - erf(x);
  if (x > 27) return 0; // e^(-x²) underflows below the smallest double
  return erfcContinuedFraction(x);
}
