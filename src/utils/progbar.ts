/** Keras's text progress bar. Mirrors keras/src/utils/progbar.py (Keras 3.15.1) byte for byte. */
import { TextScreen } from './text_screen.js';

const BOLD = '\x1b[1m';
const GREEN = '\x1b[32m';
const WHITE = '\x1b[37m';
const RESET = '\x1b[0m';
const BAR_CHAR = '━';

/** Options of `Progbar`; the clock and the writer are injectable so output can be tested exactly. */
export interface ProgbarOptions {
  /** Progress bar width on screen, in characters. Keras default: 20. */
  width?: number;
  /** 0 (silent), 1 (a bar redrawn in place) or 2 (one line when finished). */
  verbose?: number;
  /** Minimum time between two redraws, in seconds. */
  interval?: number;
  /** Names of metrics displayed as given; all others are averaged. Exclusive with `statelessMetrics`. */
  statefulMetrics?: Iterable<string>;
  /** Names of metrics averaged before display; all others are displayed as given. */
  statelessMetrics?: Iterable<string>;
  /** Display name of a step ('step' or 'sample'). */
  unitName?: string;
  /** Clock, in seconds. Default: `performance.now() / 1000`. */
  now?: () => number;
  /** Where the text goes. Default: `process.stdout`. */
  write?: (text: string) => void;
  /**
   * Whether a redraw rewrites the line in place ('\b's and '\r') rather than starting a new one.
   * Keras 3.15.1 answers yes for every POSIX process, piped or not, since `"posix" in sys.modules`
   * always holds there; only a non-terminal on Windows gets new lines.
   */
  dynamicDisplay?: boolean;
}

/**
 * Writes to the process's standard output, as Keras's `io_utils.print_msg` does. A browser has
 * none: there each line goes to the console once finished, as a terminal would show it.
 */
export function writeToStdout(text: string): void {
  if (typeof process !== 'undefined') process.stdout.write(text);
  else browserConsole.write(text);
}

const browserConsole = new TextScreen((line) => console.log(line), 0);

/**
 * Formats a number as Python's `format(x, '.{precision}f')` or `format(x, '.{precision}e')` does.
 *
 * JavaScript's `toFixed`/`toExponential` round an exact tie away from zero (0.15625 -> '0.1563'),
 * Python rounds it to even ('0.1562', as Keras prints it), and Python's exponent has at least two
 * digits. The rounding here is exact: the double is expanded to a ratio of big integers.
 */
export function formatFloat(x: number, precision: number, style: 'f' | 'e'): string {
  if (Number.isNaN(x)) return 'nan';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (!Number.isFinite(x)) return `${sign}inf`;
  const magnitude = Math.abs(x);
  if (style === 'f') return sign + withPoint(roundScaled(magnitude, precision), precision);
  const lowest = 10n ** BigInt(precision);
  let exponent = magnitude === 0 ? 0 : Math.floor(Math.log10(magnitude));
  let digits: bigint;
  // log10 of a double can be off by one near powers of ten, and rounding can carry into a new digit.
  for (;;) {
    digits = roundScaled(magnitude, precision - exponent);
    if (digits >= lowest * 10n) exponent += 1;
    else if (digits < lowest && magnitude !== 0) exponent -= 1;
    else break;
  }
  const exponentText = String(Math.abs(exponent)).padStart(2, '0');
  return `${sign}${withPoint(digits, precision)}e${exponent < 0 ? '-' : '+'}${exponentText}`;
}

/** round_half_even(x * 10^scale) for a finite x >= 0, exactly. */
function roundScaled(x: number, scale: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biasedExponent = Number(bits >> 52n);
  const fraction = bits & ((1n << 52n) - 1n);
  // x = mantissa * 2^binaryExponent, subnormals included.
  const mantissa = biasedExponent === 0 ? fraction : fraction | (1n << 52n);
  const binaryExponent = (biasedExponent === 0 ? 1 : biasedExponent) - 1075;
  let numerator = mantissa;
  let denominator = 1n;
  if (binaryExponent >= 0) numerator <<= BigInt(binaryExponent);
  else denominator <<= BigInt(-binaryExponent);
  if (scale >= 0) numerator *= 10n ** BigInt(scale);
  else denominator *= 10n ** BigInt(-scale);
  const quotient = numerator / denominator;
  const twiceRemainder = 2n * (numerator % denominator);
  const roundUp = twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n);
  return roundUp ? quotient + 1n : quotient;
}

/** Writes `digits / 10^precision` with exactly `precision` decimals. */
function withPoint(digits: bigint, precision: number): string {
  const text = digits.toString().padStart(precision + 1, '0');
  return precision === 0 ? text : `${text.slice(0, -precision)}.${text.slice(-precision)}`;
}

/** Python's `a // b` for floats a >= 0, b > 0: computed from fmod, so exact where `Math.floor(a / b)` rounds. */
function floorDiv(a: number, b: number): number {
  return Math.round((a - (a % b)) / b);
}

const pad2 = (n: number): string => String(Math.trunc(n)).padStart(2, '0');

/** The ETA as Keras writes it: '5s', '1:05' or '1:00:05' (Python's '%d' truncates). */
function formatEta(eta: number): string {
  if (eta > 3600) return `${floorDiv(eta, 3600)}:${pad2(floorDiv(eta % 3600, 60))}:${pad2(eta % 60)}`;
  if (eta > 60) return `${floorDiv(eta, 60)}:${pad2(eta % 60)}`;
  return `${Math.trunc(eta)}s`;
}

/** The time per unit as Keras writes it: ' 1s/step', ' 23ms/step', ' 512us/step'. */
function formatTime(timePerUnit: number, unitName: string): string {
  if (timePerUnit >= 1 || timePerUnit === 0) return ` ${formatFloat(timePerUnit, 0, 'f')}s/${unitName}`;
  if (timePerUnit >= 1e-3) return ` ${formatFloat(timePerUnit * 1000, 0, 'f')}ms/${unitName}`;
  return ` ${formatFloat(timePerUnit * 1e6, 0, 'f')}us/${unitName}`;
}

/** Python's `'%{n}d/%d' % (current, target)` with n the number of digits of the target. */
function stepCount(current: number, target: number): string {
  const digits = String(Math.trunc(target)).length;
  return `${String(Math.trunc(current)).padStart(digits)}/${Math.trunc(target)}`;
}

/** Python's `len`: code points, not UTF-16 units. */
const codePoints = (text: string): number => [...text].length;

/** Keras's rule (see `ProgbarOptions.dynamicDisplay`); outside Node there is no platform to ask. */
function defaultDynamicDisplay(): boolean {
  if (typeof process === 'undefined') return true;
  return process.platform !== 'win32' || Boolean(process.stdout?.isTTY);
}

/**
 * Displays a progress bar.
 *
 * If neither `statefulMetrics` nor `statelessMetrics` is given, every metric is stateless: the bar
 * averages it over the steps seen, weighting each value by the number of steps it covers.
 *
 * Args:
 *   target: Total number of steps expected, `null` if unknown.
 *   options: See `ProgbarOptions`: `width` (20), `verbose` (1), `interval` (0.05 s),
 *     `statefulMetrics`, `statelessMetrics`, `unitName` ('step'), and the injectable `now`/`write`.
 *
 * Example:
 *
 * ```ts
 * const bar = new Progbar(4);
 * for (let step = 1; step <= 4; step++) bar.update(step, [['loss', 0.5]]);
 * ```
 */
export class Progbar {
  target: number | null;
  readonly width: number;
  readonly verbose: number;
  readonly interval: number;
  readonly unitName: string;
  /** Whether a metric is averaged over the steps rather than displayed as given. */
  private readonly isStateless: (name: string) => boolean;
  private readonly now: () => number;
  private readonly write: (text: string) => void;
  private readonly dynamicDisplay: boolean;
  private seenSoFar = 0;
  /** name -> [weighted sum, weight]; the Map's insertion order is the display order. */
  private readonly values = new Map<string, [number, number]>();
  private readonly start: number;
  // Keras starts from 0 on the epoch clock, i.e. "long ago"; our clock may start near 0.
  private lastUpdate = -Infinity;
  private timeAfterFirstStep: number | null = null;
  private prevTotalWidth = 0;

  constructor(target: number | null, options: ProgbarOptions = {}) {
    if (options.statefulMetrics !== undefined && options.statelessMetrics !== undefined) {
      throw new Error(
        'Only one of `stateful_metrics` or `stateless_metrics` can be provided. `stateful_metrics` is used to make ' +
          'metrics stateless by default (with an exclusion list), while `stateless_metrics` is used to make metrics ' +
          'stateful by default (with an exclusion list).',
      );
    }
    this.target = target;
    this.width = options.width ?? 20; // Keras: progbar.py width=20
    this.verbose = options.verbose ?? 1;
    this.interval = options.interval ?? 0.05;
    this.unitName = options.unitName ?? 'step';
    if (options.statelessMetrics !== undefined) {
      const stateless = new Set(options.statelessMetrics);
      this.isStateless = (name) => stateless.has(name);
    } else {
      const stateful = new Set(options.statefulMetrics ?? []);
      this.isStateless = (name) => !stateful.has(name);
    }
    this.now = options.now ?? (() => performance.now() / 1000);
    this.write = options.write ?? writeToStdout;
    this.dynamicDisplay = options.dynamicDisplay ?? defaultDynamicDisplay();
    this.start = this.now();
  }

  /**
   * Updates the progress bar.
   *
   * Args:
   *   current: Index of the current step (1-based: the number of steps done).
   *   values: `[name, valueForLastStep]` pairs. Stateless metrics are averaged over time,
   *     stateful ones displayed as given.
   *   finalize: Whether this is the last update. Default: `current >= target`.
   */
  update(current: number, values: Array<[string, number]> = [], finalize?: boolean): void {
    const last = finalize ?? (this.target !== null && current >= this.target);
    for (const [name, value] of values) this.record(name, value, current, last);
    this.seenSoFar = current;

    const now = this.now();
    const timePerUnit = this.estimateStepDuration(current, now);
    if (this.verbose === 1) {
      if (now - this.lastUpdate < this.interval && !last) return;
      this.write(this.barLine(current, now, timePerUnit, last));
    } else if (this.verbose === 2 && last && this.target !== null && this.target > 0) {
      const elapsed = `${formatFloat(now - this.start, 0, 'f')}s`;
      this.write(
        `${stepCount(current, this.target)} - ${elapsed} -${formatTime(timePerUnit, this.unitName)}` +
          `${this.metricsText()}\n`,
      );
    }
    this.lastUpdate = now;
  }

  /** Advances the bar by `n` steps. */
  add(n: number, values?: Array<[string, number]>): void {
    this.update(this.seenSoFar + n, values);
  }

  private record(name: string, value: number, current: number, last: boolean): void {
    const entry = this.values.get(name);
    if (!this.isStateless(name) || last) {
      // A final update carries the epoch's own average: show it rather than averaging it again.
      this.values.set(name, [value, 1]);
    } else {
      // At least 1, so that a repeated step (no target in the first epoch) still counts.
      const weight = Math.max(current - this.seenSoFar, 1);
      if (entry === undefined) this.values.set(name, [value * weight, weight]);
      else this.values.set(name, [entry[0] + value * weight, entry[1] + weight]);
    }
  }

  /** The in-place redraw at verbose=1: erase the previous line, then write the bar, times and metrics. */
  private barLine(current: number, now: number, timePerUnit: number, last: boolean): string {
    const target = this.target;
    const hasTarget = target !== null && target > 0;
    // ANSI codes take no columns; count them to know the width the terminal shows.
    let hidden = 0;
    let bar: string;
    if (hasTarget) {
      bar = `${BOLD}${stepCount(current, target)}${RESET} `;
      hidden += 8;
      const progWidth = Math.trunc(this.width * (current / target));
      if (progWidth > 0) {
        bar += `${GREEN}${BAR_CHAR.repeat(progWidth)}${RESET}`;
        hidden += 9;
      }
      // Python's str * negative is '', which happens when current overshoots the target.
      bar += `${WHITE}${BAR_CHAR.repeat(Math.max(0, this.width - progWidth))}${RESET}`;
      hidden += 9;
    } else {
      bar = `${String(Math.trunc(current)).padStart(7)}/Unknown`;
    }

    const clock = hasTarget && !last
      ? formatEta(timePerUnit * (target - current))
      : `${formatFloat(now - this.start, 0, 'f')}s`;
    const info = ` ${BOLD}${clock}${RESET}${formatTime(timePerUnit, this.unitName)}${this.metricsText()}`;
    hidden += 8;

    const totalWidth = codePoints(bar) + codePoints(info) - hidden;
    let message = this.dynamicDisplay ? `${'\b'.repeat(this.prevTotalWidth)}\r` : '\n';
    message += bar + info;
    if (this.prevTotalWidth > totalWidth) message += ' '.repeat(this.prevTotalWidth - totalWidth);
    if (last) message += '\n';
    this.prevTotalWidth = totalWidth;
    return message;
  }

  private metricsText(): string {
    let text = '';
    for (const [name, [sum, count]] of this.values) {
      const avg = sum / Math.max(1, count);
      // progbar.py tests abs(avg) > 1e-3 at verbose=1 but avg > 1e-3 at verbose=2, so a negative
      // value prints as '-0.5000' at verbose=1 and '-5.0000e-01' at verbose=2. Kept on purpose.
      const plain = this.verbose === 2 ? avg > 1e-3 : Math.abs(avg) > 1e-3;
      text += ` - ${name}: ${formatFloat(avg, 4, plain ? 'f' : 'e')}`;
    }
    return text;
  }

  /**
   * Seconds per step. The first step (often slow: tracing, warm-up) is left out of the estimate
   * once later steps exist; before any step the estimate is 0.
   */
  private estimateStepDuration(current: number, now: number): number {
    if (!current) return 0;
    const timePerUnit = this.timeAfterFirstStep !== null && current > 1
      ? (now - this.timeAfterFirstStep) / (current - 1)
      : (now - this.start) / current;
    if (current === 1) this.timeAfterFirstStep = now;
    return timePerUnit;
  }
}
