import assert from 'node:assert/strict';

type Numbers = ArrayLike<number>;

export interface Tolerance {
  atol?: number;
  rtol?: number;
}

/**
 * Fails unless |actual - expected| <= atol + rtol * |expected| everywhere, reporting the worst
 * element. NaN matches only NaN.
 */
export function assertClose(actual: Numbers, expected: Numbers, tol: Tolerance, label: string): void {
  const { atol = 1e-5, rtol = 1e-5 } = tol;
  assert.equal(actual.length, expected.length, `${label}: length ${actual.length}, expected ${expected.length}`);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(a) || Number.isNaN(e)) {
      if (Number.isNaN(a) !== Number.isNaN(e)) assert.fail(`${label}: element ${i} is ${a}, expected ${e}`);
      continue;
    }
    const excess = Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (excess > worstExcess || (excess > 0 && worst < 0)) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    assert.fail(`${label}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (atol ${atol}, rtol ${rtol})`);
  }
}

/** Fails unless both arrays hold exactly the same bits (for 1-thread vs N-thread results). */
export function assertSameBits(actual: Float32Array | Int32Array, expected: Float32Array | Int32Array, label: string): void {
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  assert.equal(a.length, e.length, `${label}: length ${a.length}, expected ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== e[i]) assert.fail(`${label}: element ${i} differs: ${actual[i]} vs ${expected[i]}`);
  }
}

/** The dot product in float64, for the adjoint identities <f(x), dy> = <x, f'(dy)>. */
export function dot(a: Numbers, b: Numbers): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** |a|·|b|: the scale of dot(a, b)'s rounding error. */
export function magnitude(a: Numbers, b: Numbers): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] * b[i]);
  return s;
}
