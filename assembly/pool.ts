// Kernel family 'pool': see src/engine/kernels.ts for the contract and
// src/engine/reference/pool.ts for the definitions. NHWC: a pixel's channels are contiguous, so
// every loop runs over the channels innermost, four at a time and then one at a time, with the
// same arithmetic in both (T = v128 or f32).
// Windows are assumed to hold at least one input cell, which Keras's 'valid' and 'same' ensure.

// What the gradients' `channels` loop does to each channel of pixel `dst` with `src`, `aux`, `aux2`.
const ADD_DIV = 0; // dst += src / s
const CLAIM = 1; // where src == aux (the window max): dst += aux2 (dy), then aux = NaN so no later cell matches
const ROUTE = 2; // as CLAIM for a cell no other window contains: dst = 0 + (claimed ? aux2 : 0), nothing read from dst

@inline function apply<T>(op: i32, dst: usize, src: usize, aux: usize, aux2: usize, s: f32): void {
  // ROUTE starts from +0 where the others accumulate into dst, so its sums match theirs bit for bit.
  const a = op == ROUTE ? <T>(isVector<T>() ? f32x4.splat(0) : 0) : load<T>(dst);
  const b = load<T>(src);
  if (isVector<T>()) {
    if (op == ADD_DIV) store<v128>(dst, f32x4.add(a, f32x4.div(b, f32x4.splat(s))));
    else {
      const hit = f32x4.eq(b, load<v128>(aux));
      store<v128>(dst, f32x4.add(a, v128.and(load<v128>(aux2), hit)));
      store<v128>(aux, v128.or(load<v128>(aux), hit)); // all-ones lanes are NaN
    }
  } else {
    if (op == ADD_DIV) store<f32>(dst, a + b / s);
    else if (b == load<f32>(aux)) {
      store<f32>(dst, a + load<f32>(aux2));
      store<f32>(aux, NaN);
    } else if (op == ROUTE) store<f32>(dst, a);
  }
}

/** Applies `op` to channels [0, c) of one pixel: four at a time, then one at a time. */
@inline function channels(op: i32, c: i32, dst: usize, src: usize, aux: usize, aux2: usize, s: f32): void {
  let i = 0;
  for (; i + 4 <= c; i += 4) {
    const o = <usize>i << 2;
    apply<v128>(op, dst + o, src + o, aux + o, aux2 + o, s);
  }
  for (; i < c; i++) {
    const o = <usize>i << 2;
    apply<f32>(op, dst + o, src + o, aux + o, aux2 + o, s);
  }
}

/** First input row/column of window `o` (may be negative: padding). */
@inline function origin(o: i32, stride: i32, pad: i32): i32 {
  return o * stride - pad;
}

/** Input cells of the window starting at `first` along one axis. */
@inline function span(first: i32, pool: i32, size: i32): i32 {
  return min(first + pool, size) - max(first, 0);
}

/**
 * One window's max or mean of the channel(s) at `base` in cells [hs, he) × [ws, we): a max
 * starts from the first cell (folding it in again changes nothing) and keeps its value unless a
 * cell is greater; a mean sums from zero and divides by `cells`.
 */
@inline function window<T>(
  mean: bool, base: usize, hs: i32, he: i32, ws: i32, we: i32, inW: i32, pixel: usize, cells: f32,
): T {
  let acc: T = mean ? (isVector<T>() ? f32x4.splat(0) : 0) : load<T>(base + (<usize>hs * inW + ws) * pixel);
  for (let h = hs; h < he; h++) {
    for (let w = ws; w < we; w++) {
      const v = load<T>(base + (<usize>h * inW + w) * pixel);
      if (isVector<T>()) acc = mean ? f32x4.add(acc, v) : f32x4.pmax(acc, v);
      else acc = mean ? acc + v : (acc < v ? v : acc);
    }
  }
  if (!mean) return acc;
  if (isVector<T>()) return f32x4.div(acc, f32x4.splat(cells));
  else return acc / cells;
}

/**
 * Whether the window [hs, he) × [ws, we) is a whole 2x2 block over channels that split into
 * vectors: the tutorials' pooling, which the loops below run with the four cells in registers
 * instead of window()'s general walk.
 */
@inline function isFull2x2(hs: i32, he: i32, ws: i32, we: i32, c: i32): bool {
  return he - hs == 2 && we - ws == 2 && (c & 3) == 0;
}

/** window()'s max of a whole 2x2 block at `p` (rows `rowBytes` apart), folded in the same order. */
@inline function max2x2(p: usize, rowBytes: usize, pixel: usize): v128 {
  const top = f32x4.pmax(v128.load(p), v128.load(p + pixel));
  return f32x4.pmax(f32x4.pmax(top, v128.load(p + rowBytes)), v128.load(p + rowBytes + pixel));
}

/** Reduces the window at input (h0, w0) of image `img` into pixel `dst`, every channel. */
@inline function reduceWindow(
  mean: bool, img: usize, dst: usize, h0: i32, w0: i32, inH: i32, inW: i32, c: i32, poolH: i32, poolW: i32,
): void {
  const pixel = <usize>c << 2;
  const hs = max(h0, 0), he = min(h0 + poolH, inH), ws = max(w0, 0), we = min(w0 + poolW, inW);
  if (!mean && isFull2x2(hs, he, ws, we, c)) {
    const first = img + (<usize>hs * inW + ws) * pixel;
    for (let o: usize = 0; o < pixel; o += 16) v128.store(dst + o, max2x2(first + o, <usize>inW * pixel, pixel));
    return;
  }
  const cells = <f32>((he - hs) * (we - ws));
  let i = 0;
  for (; i + 4 <= c; i += 4) {
    const o = <usize>i << 2;
    store<v128>(dst + o, window<v128>(mean, img + o, hs, he, ws, we, inW, pixel, cells));
  }
  for (; i < c; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, window<f32>(mean, img + o, hs, he, ws, we, inW, pixel, cells));
  }
}

/** Windows of output rows [start, end) (units run over images, then rows) into `out`. */
@inline function poolRows(
  mean: bool, start: i32, end: i32, x: usize, out: usize, inH: i32, inW: i32, c: i32, outH: i32, outW: i32,
  poolH: i32, poolW: i32, strideH: i32, strideW: i32, padTop: i32, padLeft: i32,
): void {
  const pixel = <usize>c << 2;
  for (let u = start; u < end; u++) {
    const img = x + <usize>(u / outH) * inH * inW * pixel;
    const h0 = origin(u % outH, strideH, padTop);
    for (let ow = 0; ow < outW; ow++) {
      const dst = out + (<usize>u * outW + ow) * pixel;
      reduceWindow(mean, img, dst, h0, origin(ow, strideW, padLeft), inH, inW, c, poolH, poolW);
    }
  }
}

/**
 * Max pooling (`mean` 0) or average pooling over the cells inside the input (`mean` 1); units
 * are (image, output row) pairs.
 */
export function pool2dForward(
  start: i32, end: i32, tid: i32, mean: i32, x: usize, out: usize,
  inH: i32, inW: i32, c: i32, outH: i32, outW: i32,
  poolH: i32, poolW: i32, strideH: i32, strideW: i32, padTop: i32, padLeft: i32,
): void {
  // one branch per call: each pooling gets its own specialized loops
  if (mean) poolRows(true, start, end, x, out, inH, inW, c, outH, outW, poolH, poolW, strideH, strideW, padTop, padLeft);
  else poolRows(false, start, end, x, out, inH, inW, c, outH, outW, poolH, poolW, strideH, strideW, padTop, padLeft);
}

/**
 * Max-pooling gradient; units are images, so the scatter into overlapping windows stays within
 * one thread. `scratch` holds `c` floats per thread: the window max of the current pixel, whose
 * lanes turn NaN once their first maximal cell has claimed the gradient.
 */
export function maxPool2dGrad(
  start: i32, end: i32, tid: i32, x: usize, dy: usize, dx: usize, scratch: usize,
  inH: i32, inW: i32, c: i32, outH: i32, outW: i32,
  poolH: i32, poolW: i32, strideH: i32, strideW: i32, padTop: i32, padLeft: i32,
): void {
  const pixel = <usize>c << 2;
  const image = <usize>inH * inW * pixel;
  const m = scratch + <usize>tid * pixel;
  for (let n = start; n < end; n++) {
    const xImg = x + <usize>n * image;
    const dxImg = dx + <usize>n * image;
    memory.fill(dxImg, 0, image);
    for (let oh = 0; oh < outH; oh++) {
      const h0 = origin(oh, strideH, padTop);
      const dyRow = dy + (<usize>(n * outH + oh) * outW) * pixel;
      for (let ow = 0; ow < outW; ow++) {
        const w0 = origin(ow, strideW, padLeft);
        reduceWindow(false, xImg, m, h0, w0, inH, inW, c, poolH, poolW);
        for (let h = max(h0, 0); h < min(h0 + poolH, inH); h++) {
          for (let w = max(w0, 0); w < min(w0 + poolW, inW); w++) {
            const cell = (<usize>h * inW + w) * pixel;
            channels(CLAIM, c, dxImg + cell, xImg + cell, m, dyRow + <usize>ow * pixel, 0);
          }
        }
      }
    }
  }
}

/**
 * Max-pooling gradient when the windows tile the input (strides equal to the pool, no leading
 * padding: the tutorials' 2x2 pooling). Every input cell lies in at most one window, so each is
 * written once with its share of dy, with the same claims as maxPool2dGrad, instead of being
 * cleared and then accumulated; only the cells no window reaches are cleared.
 */
export function maxPool2dGradTiled(
  start: i32, end: i32, tid: i32, x: usize, dy: usize, dx: usize, scratch: usize,
  inH: i32, inW: i32, c: i32, outH: i32, outW: i32, poolH: i32, poolW: i32,
): void {
  const pixel = <usize>c << 2;
  const image = <usize>inH * inW * pixel;
  const m = scratch + <usize>tid * pixel;
  const coveredH = min(outH * poolH, inH), coveredW = min(outW * poolW, inW);
  for (let n = start; n < end; n++) {
    const xImg = x + <usize>n * image;
    const dxImg = dx + <usize>n * image;
    for (let h = 0; h < coveredH && coveredW < inW; h++) {
      memory.fill(dxImg + (<usize>h * inW + coveredW) * pixel, 0, <usize>(inW - coveredW) * pixel);
    }
    memory.fill(dxImg + <usize>coveredH * inW * pixel, 0, <usize>(inH - coveredH) * inW * pixel);
    for (let oh = 0; oh < outH; oh++) {
      const h0 = oh * poolH;
      const dyRow = dy + (<usize>(n * outH + oh) * outW) * pixel;
      for (let ow = 0; ow < outW; ow++) {
        const w0 = ow * poolW;
        const dyPixel = dyRow + <usize>ow * pixel;
        if (isFull2x2(h0, min(h0 + poolH, inH), w0, min(w0 + poolW, inW), c)) {
          route2x2(xImg, dxImg, (<usize>h0 * inW + w0) * pixel, dyPixel, <usize>inW * pixel, pixel);
          continue;
        }
        reduceWindow(false, xImg, m, h0, w0, inH, inW, c, poolH, poolW);
        for (let h = h0; h < min(h0 + poolH, inH); h++) {
          for (let w = w0; w < min(w0 + poolW, inW); w++) {
            const cell = (<usize>h * inW + w) * pixel;
            channels(ROUTE, c, dxImg + cell, xImg + cell, m, dyPixel, 0);
          }
        }
      }
    }
  }
}

/** ROUTE of one cell with the window max `m` in a register: writes dst, returns m with the claimed lanes NaN. */
@inline function routeCell(dst: usize, x: v128, m: v128, dy: v128): v128 {
  const hit = f32x4.eq(x, m);
  v128.store(dst, f32x4.add(f32x4.splat(0), v128.and(dy, hit)));
  return v128.or(m, hit);
}

/**
 * maxPool2dGradTiled's routing of a whole 2x2 window at byte offset `cell` of the image (rows
 * `rowBytes` apart), every channel: the same claims in the same cell order, from registers.
 */
@inline function route2x2(xImg: usize, dxImg: usize, cell: usize, dy: usize, rowBytes: usize, pixel: usize): void {
  for (let o: usize = 0; o < pixel; o += 16) {
    const x = xImg + cell + o, dx = dxImg + cell + o;
    const g = v128.load(dy + o);
    let m = max2x2(x, rowBytes, pixel);
    m = routeCell(dx, v128.load(x), m, g);
    m = routeCell(dx + pixel, v128.load(x + pixel), m, g);
    m = routeCell(dx + rowBytes, v128.load(x + rowBytes), m, g);
    routeCell(dx + rowBytes + pixel, v128.load(x + rowBytes + pixel), m, g);
  }
}

/**
 * Average-pooling gradient as a gather: units are (image, input row) pairs, and each input
 * pixel sums dy / cells over the windows that contain it, in the reference's window order.
 */
export function avgPool2dGrad(
  start: i32, end: i32, tid: i32, dy: usize, dx: usize,
  inH: i32, inW: i32, c: i32, outH: i32, outW: i32,
  poolH: i32, poolW: i32, strideH: i32, strideW: i32, padTop: i32, padLeft: i32,
): void {
  const pixel = <usize>c << 2;
  for (let u = start; u < end; u++) {
    const n = u / inH, ih = u % inH;
    const ohEnd = min(outH, (ih + padTop) / strideH + 1);
    for (let iw = 0; iw < inW; iw++) {
      const dst = dx + (<usize>u * inW + iw) * pixel;
      memory.fill(dst, 0, pixel);
      const owEnd = min(outW, (iw + padLeft) / strideW + 1);
      for (let oh = firstWindow(ih, strideH, padTop, poolH); oh < ohEnd; oh++) {
        const rows = span(origin(oh, strideH, padTop), poolH, inH);
        for (let ow = firstWindow(iw, strideW, padLeft, poolW); ow < owEnd; ow++) {
          const cells = <f32>(rows * span(origin(ow, strideW, padLeft), poolW, inW));
          channels(ADD_DIV, c, dst, dy + (<usize>(n * outH + oh) * outW + ow) * pixel, 0, 0, cells);
        }
      }
    }
  }
}

/** The first window along an axis that contains input index i: origin(o) + pool > i. */
@inline function firstWindow(i: i32, stride: i32, pad: i32, pool: i32): i32 {
  const d = i + pad - pool;
  return d < 0 ? 0 : d / stride + 1;
}
