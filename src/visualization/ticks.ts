/** Axis ticks at round numbers, as matplotlib picks them: steps of 1, 2 or 5 times a power of ten. */

export interface Ticks {
  /** The tick values, from the first at or below the data to the last at or above it. */
  values: number[];
  /** Their labels, all with the same number of decimals. */
  labels: string[];
}

/**
 * About `count` ticks covering [`low`, `high`]; with `integer`, the step is a whole number (for
 * epochs). An empty range is widened around its value.
 */
export function niceTicks(low: number, high: number, count = 5, integer = false): Ticks {
  if (high === low) {
    const pad = integer ? 1 : low === 0 ? 1 : Math.abs(low) * 0.1;
    low -= pad;
    high += pad;
  }
  const raw = (high - low) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * magnitude;
  if (integer) step = Math.max(1, Math.round(step));
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const first = Math.floor(low / step + 1e-9);
  const last = Math.ceil(high / step - 1e-9);
  const values: number[] = [];
  for (let i = first; i <= last; i++) values.push(Number((i * step).toFixed(decimals)));
  return { values, labels: values.map((v) => v.toFixed(decimals)) };
}
