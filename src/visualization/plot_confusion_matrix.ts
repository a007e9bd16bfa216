import { fail } from '../ops/checks.js';
import { checkPath, labelNames, readClassIndices, type ArrayInput, type LabelMap } from './inputs.js';
import { writeSvgAsPng } from './render.js';
import { rect, svgDocument, text, textWidth } from './svg.js';

export interface PlotConfusionMatrixOptions {
  /** The PNG file to write (its folder is created when missing). */
  path: string;
  /** The class names for both axes; it must name every class from 0 to the largest label. */
  labelMap?: LabelMap;
  /** The title (default `Confusion matrix`). */
  title?: string;
}

const FN = 'plotConfusionMatrix';
const MARGIN = 12;
/** ColorBrewer's 9-class Blues, matplotlib's 'Blues' colour map, from no count to the largest. */
const BLUES = [[247, 251, 255], [222, 235, 247], [198, 219, 239], [158, 202, 225], [107, 174, 214], [66, 146, 198],
  [33, 113, 181], [8, 81, 156], [8, 48, 107]];

/** The colour of `t` in [0, 1] along BLUES, as `rgb(r,g,b)`. */
function blue(t: number): string {
  const position = t * (BLUES.length - 1);
  const i = Math.min(BLUES.length - 2, Math.floor(position));
  const f = position - i;
  const [r, g, b] = BLUES[i].map((c, k) => Math.round(c + (BLUES[i + 1][k] - c) * f));
  return `rgb(${r},${g},${b})`;
}

/** The number of classes: all that `labelMap` names (a list's length, an object's largest key + 1) and every label seen. */
function classCount(labels: Int32Array[], labelMap?: LabelMap): number {
  const mapped = labelMap === undefined ? 0 : Math.max(0, ...Object.keys(labelMap).map((k) => Number(k) + 1));
  return Math.max(mapped, ...labels.map((l) => (l.length ? Math.max(...l) + 1 : 0)));
}

/**
 * Plots a confusion matrix: row `i`, column `j` holds how many examples of true class `i` the
 * model predicted as class `j`, in a cell the darker the larger the count, with the class names
 * on both axes.
 *
 * Args:
 *   yTrue: the true classes: shape (N,) of class indices, or (N, C) one-hot rows.
 *   yPred: the predicted classes: shape (N,) of class indices, or (N, C) scores (the index of
 *     the largest counts, so `model.predict`'s output goes in as it is).
 *   options: `path` (required), `labelMap`, `title`.
 *
 * Returns:
 *   A promise that resolves once the PNG is written.
 *
 * Example:
 *
 * ```ts
 * const scores = await model.predict(xTest);        // (10000, 10)
 * await keras.visualization.plotConfusionMatrix(yTest, scores, {
 *   labelMap: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], path: 'confusion.png',
 * });
 * ```
 */
export async function plotConfusionMatrix(
  yTrue: ArrayInput, yPred: ArrayInput, options: PlotConfusionMatrixOptions,
): Promise<void> {
  checkPath(FN, options?.path);
  const truth = readClassIndices(FN, 'yTrue', yTrue);
  const predicted = readClassIndices(FN, 'yPred', yPred);
  if (truth.length !== predicted.length) {
    fail(FN, `'yTrue' and 'yPred' must hold one class per example each; received ${truth.length} and ${predicted.length}`);
  }
  const k = classCount([truth, predicted], options.labelMap);
  if (k === 0) fail(FN, `'yTrue' must hold at least one example, or 'labelMap' name at least one class; received neither`);
  const names = labelNames(FN, Int32Array.from({ length: k }, (_, i) => i), options.labelMap);
  const counts = new Int32Array(k * k);
  truth.forEach((t, i) => counts[t * k + predicted[i]]++);
  const largest = Math.max(1, ...counts);

  const cell = Math.max(24, Math.min(56, Math.floor(520 / k)));
  const fontSize = cell >= 40 ? 13 : 10;
  const nameWidth = Math.max(...names.map((name) => textWidth(name, 12)));
  const slanted = nameWidth > cell - 4;
  const title = options.title ?? 'Confusion matrix';
  const left = MARGIN + 24 + nameWidth + 8;
  const top = MARGIN + 32;
  const bottom = top + k * cell + 8 + (slanted ? Math.ceil(nameWidth * 0.71) + 12 : 16);
  const width = Math.max(left + k * cell + MARGIN * 2, textWidth(title, 16) + 2 * MARGIN);
  const height = bottom + 30;

  const elements = [text(left + (k * cell) / 2, MARGIN + 16, title, { size: 16, anchor: 'middle', bold: true })];
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const t = counts[i * k + j] / largest;
      const [x, y] = [left + j * cell, top + i * cell];
      elements.push(rect(x, y, cell, cell, blue(t)));
      const style = { size: fontSize, anchor: 'middle', baseline: 'middle', fill: t > 0.5 ? '#fff' : '#000' } as const;
      elements.push(text(x + cell / 2, y + cell / 2, String(counts[i * k + j]), style));
    }
    const middle = top + i * cell + cell / 2;
    elements.push(text(left - 8, middle, names[i], { size: 12, anchor: 'end', baseline: 'middle' }));
    const [x, y] = [left + i * cell + cell / 2, top + k * cell + 8];
    elements.push(slanted
      ? text(x, y, names[i], { size: 12, anchor: 'end', baseline: 'hanging', rotate: -45 })
      : text(x, y, names[i], { size: 12, anchor: 'middle', baseline: 'hanging' }));
  }
  elements.push(rect(left, top, k * cell, k * cell, 'none', '#000'));
  elements.push(text(left + (k * cell) / 2, bottom + 14, 'Predicted label', { anchor: 'middle' }));
  elements.push(text(MARGIN + 10, top + (k * cell) / 2, 'True label', { anchor: 'middle', rotate: -90 }));
  await writeSvgAsPng(svgDocument(width, height, elements), options.path);
}
