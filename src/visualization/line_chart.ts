/** A line chart drawn into a rectangle of an SVG document: axes, ticks, grid, lines, legend and title. */

import { circle, line, polyline, rect, text, textWidth } from './svg.js';
import { niceTicks, type Ticks } from './ticks.js';

export interface Series {
  name: string;
  color: string;
  /** One y per x; non-finite values (a NaN loss) leave a gap. */
  x: readonly number[];
  y: readonly number[];
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  /** Whether x ticks must be whole numbers (epochs). */
  integerX?: boolean;
}

/** The chart's place in the document, in pixels. */
export interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
}

const LEGEND_ROW = 18;

/**
 * An axis over `values`: as matplotlib does, the data range plus 5 % on each side (so points on
 * the edge stay whole), with the round ticks inside it.
 */
function axis(values: readonly number[], integer = false): Ticks & { low: number; high: number } {
  const finite = values.filter(Number.isFinite);
  const [min, max] = finite.length ? [Math.min(...finite), Math.max(...finite)] : [0, 1];
  const ticks = niceTicks(min, max, 5, integer);
  if (max === min) return { ...ticks, low: ticks.values[0], high: ticks.values[ticks.values.length - 1] };
  const [low, high] = [min - (max - min) * 0.05, max + (max - min) * 0.05];
  const inside = ticks.values.map((v) => v >= low && v <= high);
  return { values: ticks.values.filter((_, i) => inside[i]), labels: ticks.labels.filter((_, i) => inside[i]), low, high };
}

/** The runs of consecutive finite points of a series. */
function segments(points: readonly (readonly [number, number])[]): (readonly [number, number])[][] {
  const runs: (readonly [number, number])[][] = [[]];
  for (const p of points) {
    if (p.every(Number.isFinite)) runs[runs.length - 1].push(p);
    else if (runs[runs.length - 1].length) runs.push([]);
  }
  return runs.filter((run) => run.length > 0);
}

/**
 * The elements of `chart` inside `frame`. The legend goes in the corner of the plot area that
 * covers the fewest points.
 */
export function lineChart(chart: LineChart, frame: Frame): string[] {
  const plot = {
    x0: frame.left + 72, x1: frame.left + frame.width - 16, y0: frame.top + 36, y1: frame.top + frame.height - 50,
  };
  const xTicks = axis(chart.series.flatMap((s) => s.x), chart.integerX);
  const yTicks = axis(chart.series.flatMap((s) => s.y));
  const px = (x: number): number => plot.x0 + ((x - xTicks.low) / (xTicks.high - xTicks.low)) * (plot.x1 - plot.x0);
  const py = (y: number): number => plot.y1 - ((y - yTicks.low) / (yTicks.high - yTicks.low)) * (plot.y1 - plot.y0);

  const elements: string[] = [];
  xTicks.values.forEach((v, i) => {
    const x = Math.round(px(v));
    elements.push(line(x, plot.y0, x, plot.y1, '#e6e6e6'), line(x, plot.y1, x, plot.y1 + 5));
    elements.push(text(x, plot.y1 + 19, xTicks.labels[i], { size: 12, anchor: 'middle' }));
  });
  yTicks.values.forEach((v, i) => {
    const y = Math.round(py(v));
    elements.push(line(plot.x0, y, plot.x1, y, '#e6e6e6'), line(plot.x0 - 5, y, plot.x0, y));
    elements.push(text(plot.x0 - 8, y, yTicks.labels[i], { size: 12, anchor: 'end', baseline: 'middle' }));
  });
  elements.push(rect(plot.x0, plot.y0, plot.x1 - plot.x0, plot.y1 - plot.y0, 'none', '#000'));
  const centerX = (plot.x0 + plot.x1) / 2;
  elements.push(text(centerX, frame.top + 24, chart.title, { size: 15, anchor: 'middle', bold: true }));
  elements.push(text(centerX, frame.top + frame.height - 12, chart.xLabel, { anchor: 'middle' }));
  const centerY = (plot.y0 + plot.y1) / 2;
  elements.push(text(frame.left + 18, centerY, chart.yLabel, { anchor: 'middle', rotate: -90 }));

  const screen = chart.series.map((s) => s.x.map((x, i) => [px(x), py(s.y[i])] as const));
  chart.series.forEach((s, i) => {
    for (const run of segments(screen[i])) {
      elements.push(polyline(run, s.color), ...run.map(([x, y]) => circle(x, y, 3, s.color)));
    }
  });

  const legendWidth = 44 + Math.max(...chart.series.map((s) => textWidth(s.name, 12)));
  const legendHeight = 8 + chart.series.length * LEGEND_ROW;
  const corners = [[plot.x1 - legendWidth - 8, plot.y0 + 8], [plot.x1 - legendWidth - 8, plot.y1 - legendHeight - 8],
    [plot.x0 + 8, plot.y0 + 8], [plot.x0 + 8, plot.y1 - legendHeight - 8]];
  const covered = ([lx, ly]: number[]): number => screen.flat().filter(([x, y]) =>
    x >= lx - 4 && x <= lx + legendWidth + 4 && y >= ly - 4 && y <= ly + legendHeight + 4).length;
  const [lx, ly] = corners.reduce((best, c) => (covered(c) < covered(best) ? c : best));
  elements.push(rect(lx, ly, legendWidth, legendHeight, '#fff', '#ccc'));
  chart.series.forEach((s, i) => {
    const y = ly + 4 + LEGEND_ROW * i + LEGEND_ROW / 2;
    elements.push(line(lx + 8, y, lx + 32, y, s.color, 2), circle(lx + 20, y, 3, s.color));
    elements.push(text(lx + 38, y, s.name, { size: 12, baseline: 'middle' }));
  });
  return elements;
}
