/** The demo's drawing pad: a canvas to draw a digit on with a mouse, pen or finger. */

/**
 * Lets the user draw white strokes on `canvas`; calls `onStroke` when a stroke ends.
 * Returns the function that clears the pad.
 */
export function drawingPad(canvas: HTMLCanvasElement, onStroke: () => void): () => void {
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const at = (e: PointerEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * canvas.width) / r.width, ((e.clientY - r.top) * canvas.height) / r.height];
  };
  let drawing = false;
  canvas.addEventListener('pointerdown', (e) => {
    drawing = true;
    canvas.setPointerCapture(e.pointerId);
    Object.assign(ctx, { strokeStyle: '#fff', lineWidth: canvas.width / 12, lineCap: 'round', lineJoin: 'round' });
    ctx.beginPath();
    ctx.moveTo(...at(e));
    ctx.lineTo(...at(e)); // a click alone leaves a dot
    ctx.stroke();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    ctx.lineTo(...at(e));
    ctx.stroke();
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    onStroke();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  return () => ctx.clearRect(0, 0, canvas.width, canvas.height);
}

/**
 * The drawing as an MNIST image: 28x28 grey levels in [0, 1], the digit scaled so its longer side
 * is 20 pixels and centred, as MNIST's digits were prepared; null when nothing is drawn.
 */
export function toMnistPixels(canvas: HTMLCanvasElement): Float32Array | null {
  const { width, height } = canvas;
  const ink = canvas.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, width, height).data;
  let [left, top, right, bottom] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[4 * (y * width + x) + 3] === 0) continue;
      [left, top, right, bottom] = [Math.min(left, x), Math.min(top, y), Math.max(right, x), Math.max(bottom, y)];
    }
  }
  if (right < 0) return null;
  const [w, h] = [right - left + 1, bottom - top + 1];
  const scale = 20 / Math.max(w, h);
  const small = document.createElement('canvas');
  small.width = small.height = 28;
  const ctx = small.getContext('2d', { willReadFrequently: true })!;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, 28, 28);
  ctx.drawImage(canvas, left, top, w, h, (28 - w * scale) / 2, (28 - h * scale) / 2, w * scale, h * scale);
  const rgba = ctx.getImageData(0, 0, 28, 28).data;
  return Float32Array.from({ length: 28 * 28 }, (_, i) => rgba[4 * i] / 255);
}
