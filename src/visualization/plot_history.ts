import { History } from '../callbacks/history.js';
import { fail } from '../ops/checks.js';
import { checkPath } from './inputs.js';
import { lineChart, type Series } from './line_chart.js';
import { writeSvgAsPng } from './render.js';
import { svgDocument } from './svg.js';

export interface PlotHistoryOptions {
  /** The PNG file to write (its folder is created when missing). */
  path: string;
  /**
   * The metrics to plot, one chart each, e.g. `['loss', 'accuracy']` (default: every metric
   * recorded, the loss first). Each chart shows the training values and, when
   * recorded, the validation values (`val_<metric>`).
   */
  metrics?: readonly string[];
}

const FN = 'plotHistory';
const PANEL_WIDTH = 440;
const PANEL_HEIGHT = 330;
/** matplotlib's first two colours (tab:blue, tab:orange). */
const TRAIN_COLOR = '#1f77b4';
const VALIDATION_COLOR = '#ff7f0e';

function readLogs(history: unknown): Record<string, readonly number[]> {
  const logs = history instanceof History ? history.history : history;
  if (typeof logs !== 'object' || logs === null || Array.isArray(logs)) {
    fail(FN, `'history' must be a History (what fit returns) or its 'history' record of metric name -> ` +
      `one value per epoch; received ${Array.isArray(logs) ? 'an array' : String(logs)}`);
  }
  for (const [name, values] of Object.entries(logs)) {
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'number')) {
      fail(FN, `'history' must map each metric name to an array of numbers; '${name}' holds ${String(values)}`);
    }
  }
  return logs as Record<string, readonly number[]>;
}

/**
 * Plots the training curves of a `History`: one line chart per metric with the training and
 * validation values against the epoch, with axes, ticks, a legend and a title, side by side.
 *
 * Args:
 *   history: what `model.fit` returns, or its `history` record (`{loss: [...], val_loss: [...]}`).
 *   options: `path` (required) and `metrics`.
 *
 * Returns:
 *   A promise that resolves once the PNG is written.
 *
 * Example:
 *
 * ```ts
 * const history = await model.fit(x, y, {epochs: 5, validationData: [xTest, yTest]});
 * await keras.visualization.plotHistory(history, {path: 'history.png', metrics: ['loss', 'accuracy']});
 * ```
 */
export async function plotHistory(
  history: History | Readonly<Record<string, readonly number[]>>, options: PlotHistoryOptions,
): Promise<void> {
  checkPath(FN, options?.path);
  const logs = readLogs(history);
  const base = (name: string): string => name.replace(/^val_/, '');
  // The loss first, as the tutorials plot it; fit logs the compiled metrics before it.
  const known = [...new Set(Object.keys(logs).map(base))].sort((a, b) => Number(b === 'loss') - Number(a === 'loss'));
  const metrics = options.metrics ?? known;
  const unknown = metrics.filter((m) => !known.includes(m));
  if (metrics.length === 0 || unknown.length > 0) {
    fail(FN, `'metrics' must name at least one metric the history recorded (${known.join(', ') || 'none'}); ` +
      `received ${metrics.length ? unknown.map((m) => `'${m}'`).join(', ') : 'no metrics'}` +
      (known.length ? '' : ': fit records the loss of each epoch, e.g. {loss: [0.9, 0.5]}'));
  }
  const charts = metrics.map((metric) => {
    const series: Series[] = [];
    for (const [name, color, key] of [['train', TRAIN_COLOR, metric], ['validation', VALIDATION_COLOR, `val_${metric}`]]) {
      const y = logs[key];
      if (y?.length) series.push({ name, color, x: y.map((_, i) => i + 1), y });
    }
    const title = `Model ${metric}`;
    return { title, xLabel: 'Epoch', yLabel: metric, series, integerX: true };
  });
  const elements = charts.flatMap((chart, i) =>
    lineChart(chart, { left: i * PANEL_WIDTH, top: 0, width: PANEL_WIDTH, height: PANEL_HEIGHT }));
  await writeSvgAsPng(svgDocument(PANEL_WIDTH * charts.length, PANEL_HEIGHT, elements), options.path);
}
