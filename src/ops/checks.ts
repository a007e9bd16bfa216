/**
 * Argument checks shared by every op. Errors name the op, the argument, what was expected and
 * what was received, and are thrown before any kernel runs.
 */
import { Tensor, formatShape, type Shape } from '../backend/tensor.js';

export function fail(op: string, message: string): never {
  throw new Error(`${op}: ${message}`);
}

export function assertTensor(op: string, arg: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) fail(op, `argument '${arg}' must be a Tensor, received ${describe(x)}`);
}

export function assertRank(op: string, arg: string, x: Tensor, ranks: readonly number[]): void {
  if (!ranks.includes(x.rank)) {
    const expected = ranks.length === 1 ? `rank ${ranks[0]}` : `rank ${ranks.slice(0, -1).join(', ')} or ${ranks.at(-1)}`;
    fail(op, `argument '${arg}' must have ${expected}, received rank ${x.rank} with shape ${formatShape(x.shape)}`);
  }
}

export function assertPositiveInt(op: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    fail(op, `argument '${arg}' must be a positive integer, received ${describe(value)}`);
  }
  return value;
}

/** `value` as a list of `n` positive integers (a single integer is repeated), as Keras accepts. */
export function intTuple(op: string, arg: string, value: number | readonly number[], n: number): number[] {
  const list = typeof value === 'number' ? Array<number>(n).fill(value) : [...value];
  if (list.length !== n || list.some((v) => !Number.isInteger(v) || v < 1)) {
    fail(op, `argument '${arg}' must be a positive integer or a list of ${n} positive integers, received ${describe(value)}`);
  }
  return list;
}

/** Resolves a possibly negative axis against `rank`. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    fail(op, `axis ${axis} is out of bounds for a tensor of rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Sorted, distinct, non-negative axes; null means all of them. */
export function normalizeAxes(op: string, axis: number | readonly number[] | null | undefined, rank: number): number[] {
  if (axis === null || axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = (typeof axis === 'number' ? [axis] : [...axis]).map((a) => normalizeAxis(op, a, rank));
  if (new Set(list).size !== list.length) fail(op, `repeated axis in ${describe(axis)}`);
  return list.sort((a, b) => a - b);
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function describe(value: unknown): string {
  if (value instanceof Tensor) return `a ${value.dtype} tensor of shape ${formatShape(value.shape)}`;
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (typeof value === 'string') return `'${value}'`;
  return String(value);
}
