/** The demo page's pictures, drawn on canvases: training curves and a Conv2D layer's filters. */

/** One line of a chart: [x, y] points, and whether to draw it as dots (validation, once per epoch). */
export interface Series {
  label: string;
  color: string;
  points: Array<[number, number]>;
  dots?: boolean;
}

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Two charts side by side, as tutorial 002's matplotlib figure: loss (y from 0 to its largest
 * value) and accuracy (y from 0 to 1), against the batches trained.
 */
export function drawCurves(canvas: HTMLCanvasElement, loss: Series[], accuracy: Series[]): void {
  const ctx = canvas.getContext('2d')!;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const half = canvas.width / 2;
  const box = (left: number): Box => ({ left: left + 44, top: 22, width: half - 64, height: canvas.height - 50 });
  const top = Math.max(1e-3, ...loss.flatMap((s) => s.points.map(([, y]) => y)));
  drawChart(ctx, box(0), 'loss', loss, top);
  drawChart(ctx, box(half), 'accuracy', accuracy, 1);
}

function drawChart(ctx: CanvasRenderingContext2D, box: Box, title: string, series: Series[], yMax: number): void {
  const xMax = Math.max(1, ...series.flatMap((s) => s.points.map(([x]) => x)));
  const px = (x: number) => box.left + (x / xMax) * box.width;
  const py = (y: number) => box.top + box.height - (Math.min(y, yMax) / yMax) * box.height;
  ctx.strokeStyle = '#9aa3b5';
  ctx.lineWidth = 1;
  ctx.strokeRect(box.left, box.top, box.width, box.height);
  ctx.fillStyle = '#1d2330';
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText(title, box.left + box.width / 2, box.top - 8);
  ctx.fillText('batch', box.left + box.width / 2, box.top + box.height + 24);
  ctx.fillText(String(xMax), box.left + box.width, box.top + box.height + 13);
  ctx.textAlign = 'right';
  ctx.fillText(yMax.toFixed(2), box.left - 4, box.top + 10);
  ctx.fillText('0', box.left - 4, box.top + box.height);
  series.forEach((s, i) => {
    ctx.strokeStyle = ctx.fillStyle = s.color;
    ctx.lineWidth = 1.5;
    if (s.dots) {
      for (const [x, y] of s.points) ctx.fillRect(px(x) - 3, py(y) - 3, 6, 6);
    } else {
      ctx.beginPath();
      s.points.forEach(([x, y], j) => (j === 0 ? ctx.moveTo(px(x), py(y)) : ctx.lineTo(px(x), py(y))));
      ctx.stroke();
    }
    ctx.textAlign = 'left';
    ctx.fillText(s.label, box.left + 8, box.top + 16 + 15 * i);
  });
}

/**
 * The first input channel of each filter of a Conv2D kernel ([kh, kw, in, out], Keras's layout),
 * as grey squares, each scaled from its own minimum (black) to its maximum (white) as
 * matplotlib's imshow does in the tutorial.
 */
export function drawFilters(canvas: HTMLCanvasElement, kernel: Float32Array, shape: readonly number[]): void {
  const ctx = canvas.getContext('2d')!;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const [kh, kw, inC, outC] = shape;
  const perRow = Math.ceil(outC / 2);
  const cell = Math.max(1, Math.floor(Math.min((canvas.width / perRow - 8) / kw, (canvas.height / 2 - 8) / kh)));
  for (let f = 0; f < outC; f++) {
    const values = Array.from({ length: kh * kw }, (_, p) => kernel[p * inC * outC + f]);
    const low = Math.min(...values);
    const range = Math.max(...values) - low || 1;
    const left = (f % perRow) * (kw * cell + 8);
    const top = Math.floor(f / perRow) * (kh * cell + 8);
    values.forEach((v, p) => {
      const grey = Math.round((255 * (v - low)) / range);
      ctx.fillStyle = `rgb(${grey},${grey},${grey})`;
      ctx.fillRect(left + (p % kw) * cell, top + Math.floor(p / kw) * cell, cell, cell);
    });
  }
}
