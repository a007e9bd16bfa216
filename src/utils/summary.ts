/**
 * model.summary(): the table Keras prints, drawn by hand to match what Keras's `rich` table
 * writes when its output is captured (no colours). Layout rules from
 * keras/src/utils/summary_utils.py; column fitting and wrapping follow rich's Table.
 */
import type { Variable } from '../backend/variable.js';
import { InputLayer } from '../layers/core/input_layer.js';
import type { Layer } from '../layers/layer.js';
import type { FunctionalGraph } from '../models/functional_graph.js';
import { formatShape } from '../backend/tensor.js';

export interface SummaryOptions {
  /** Total width; default 88 (108 for branching models), capped at the terminal width - 4. */
  lineLength?: number;
  /** Column boundaries as fractions (or absolute positions) of the line length. */
  positions?: readonly number[];
  /** Receives the whole summary text; default writes it to stdout. */
  printFn?: (text: string) => void;
  /** Adds a 'Trainable' column. */
  showTrainable?: boolean;
}

/** What the summary needs to know of a model. */
export interface SummarizedModel {
  readonly name: string;
  readonly layers: readonly Layer[];
  readonly trainableWeights: readonly Variable[];
  readonly nonTrainableWeights: readonly Variable[];
  /** The functional graph, for connection columns; null for Sequential and subclassed models. */
  readonly functionalGraph: FunctionalGraph | null;
  /** The optimizer's variables once it is built (Keras prints them after fit). */
  readonly optimizerVariables: readonly Variable[] | null;
}

type Align = 'left' | 'right' | 'center';

export function summaryText(model: SummarizedModel, options: SummaryOptions = {}): string {
  const graph = model.functionalGraph;
  const sequentialLike = graph === null || isChain(graph);
  let lineLength = sequentialLike ? 88 : 108;
  let positions = options.positions ?? (sequentialLike ? [0.45, 0.8, 1.0] : [0.3, 0.56, 0.74, 1.0]);
  const header = ['Layer (type)', 'Output Shape', 'Param #'];
  const align: Align[] = ['left', 'left', 'right'];
  if (!sequentialLike) {
    header.push('Connected to');
    align.push('left');
  }
  if (options.showTrainable) {
    lineLength += 12;
    positions = [...positions.map((p) => p * 0.9), 1.0];
    header.push('Trainable');
    align.push('center');
  }
  lineLength = options.lineLength ?? Math.min(lineLength, terminalColumns() - 4);
  const requested: number[] = [];
  let current = 0;
  for (const position of positions) {
    const width = Math.floor(position <= 1 ? position * lineLength : position) - current;
    if (width < 4) throw new Error('Insufficient console width to print summary.');
    requested.push(width);
    current += width;
  }
  const widths = fitColumns(requested, lineLength);

  const rows = model.layers.map((layer) => {
    const row = [`${layer.name} (${layer.className})`, outputShape(layer), params(layer)];
    if (!sequentialLike) row.push(connections(layer, graph!));
    if (options.showTrainable) row.push(layer.weights.length === 0 ? '-' : layer.trainable ? 'Y' : 'N');
    return row;
  });

  const lines = [`Model: "${model.name}"`, drawTable(header, rows, widths, align)];
  const trainable = model.trainableWeights;
  const nonTrainable = model.nonTrainableWeights;
  const optimizer = model.optimizerVariables ?? [];
  lines.push(totalLine('Total params', [...trainable, ...nonTrainable, ...optimizer]));
  lines.push(totalLine('Trainable params', trainable));
  lines.push(totalLine('Non-trainable params', nonTrainable));
  if (model.optimizerVariables) lines.push(totalLine('Optimizer params', optimizer));
  return lines.join('\n') + '\n';
}

/** Whether every node has one input and feeds one node: then Keras draws the 3-column table. */
function isChain(graph: FunctionalGraph): boolean {
  const consumers = new Map<unknown, number>();
  for (const node of graph.nodes) {
    if (node.inputs.length > 1) return false;
    for (const t of node.inputs) consumers.set(t, (consumers.get(t) ?? 0) + 1);
  }
  const layers = graph.nodes.map((n) => n.layer);
  return [...consumers.values()].every((n) => n === 1) && new Set(layers).size === layers.length;
}

function terminalColumns(): number {
  const stdout = typeof process !== 'undefined' ? process.stdout : undefined;
  if (stdout?.isTTY && stdout.columns) return stdout.columns;
  const env = typeof process !== 'undefined' ? Number(process.env.COLUMNS) : NaN;
  return Number.isInteger(env) && env > 0 ? env : 80; // Python's shutil.get_terminal_size fallback
}

function outputShape(layer: Layer): string {
  const node = layer.inboundNodes.at(-1);
  if (node) return formatShape(node.outputs[0].shape);
  if (layer instanceof InputLayer) return formatShape(layer.batchShape);
  return '?';
}

function params(layer: Layer): string {
  if (!layer.built) return '0 (unbuilt)';
  return layer.countParams().toLocaleString('en-US');
}

function connections(layer: Layer, graph: FunctionalGraph): string {
  const relevant = new Set(graph.nodes);
  const parts: string[] = [];
  for (const node of layer.inboundNodes) {
    if (!relevant.has(node)) continue;
    for (const t of node.inputs) {
      const origin = t.history!.node;
      parts.push(`${origin.layer.name}[${origin.layer.inboundNodes.indexOf(origin)}][${t.history!.index}]`);
    }
  }
  return parts.length ? parts.join(', ') : '-';
}

function totalLine(label: string, weights: readonly Variable[]): string {
  const unique = [...new Set(weights)];
  const count = unique.reduce((n, v) => n + v.value.size, 0);
  const bytes = unique.reduce((n, v) => n + v.value.size * (v.dtype === 'uint8' || v.dtype === 'bool' ? 1 : 4), 0);
  return ` ${label}: ${count.toLocaleString('en-US')} (${readableSize(bytes)})`;
}

/** Keras's readable_memory_size: '879.04 KB'. */
function readableSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${size.toFixed(2)} ${unit}`;
    size /= 1024;
  }
  return `${size.toFixed(2)} PB`;
}

/**
 * rich's Table with fixed column widths: each column asks for its width plus one space of
 * padding on each side; when the total exceeds the line minus the borders, the excess is
 * taken evenly (Python's round-half-even decides the leftovers), as rich's ratio_reduce does.
 */
function fitColumns(requested: readonly number[], lineLength: number): number[] {
  const widths = requested.map((w) => w + 2);
  let excess = widths.reduce((a, b) => a + b, 0) - (lineLength - (requested.length + 1));
  if (excess <= 0) return widths;
  let ratioLeft = widths.length;
  return widths.map((w) => {
    const cut = Math.min(w, roundHalfEven(excess / ratioLeft));
    excess -= cut;
    ratioLeft -= 1;
    return w - cut;
  });
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Greedy word wrap into `width` columns; a word too long for a line is cut with '…' (rich's 'ellipsis'). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length <= width) {
      line += ` ${word}`;
      continue;
    }
    if (line) lines.push(line);
    line = word.length > width ? `${word.slice(0, width - 1)}…` : word;
  }
  lines.push(line);
  return lines;
}

function pad(text: string, width: number, align: Align): string {
  const space = width - text.length;
  if (align === 'right') return ' '.repeat(space) + text;
  if (align === 'center') return ' '.repeat(Math.floor(space / 2)) + text + ' '.repeat(Math.ceil(space / 2));
  return text + ' '.repeat(space);
}

/** A rich HEAVY_HEAD table with a line between rows (show_lines=True). */
function drawTable(header: readonly string[], rows: readonly string[][], widths: readonly number[], align: readonly Align[]): string {
  const rule = (left: string, fill: string, middle: string, right: string): string =>
    left + widths.map((w) => fill.repeat(w)).join(middle) + right;
  const cells = (row: readonly string[], bar: string): string[] => {
    const wrapped = row.map((text, i) => wrap(text, widths[i] - 2));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, k) =>
      bar + wrapped.map((w, i) => ` ${pad(w[k] ?? '', widths[i] - 2, align[i])} `).join(bar) + bar);
  };
  // Header cells take their column's justification, as in rich.
  const lines = [rule('┏', '━', '┳', '┓'), ...cells(header, '┃'), rule('┡', '━', '╇', '┩')];
  rows.forEach((row, i) => {
    if (i > 0) lines.push(rule('├', '─', '┼', '┤'));
    lines.push(...cells(row, '│'));
  });
  lines.push(rule('└', '─', '┴', '┘'));
  return lines.join('\n');
}
