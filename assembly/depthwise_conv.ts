// Kernel family 'depthwise_conv': see src/engine/kernels.ts for the contract and
// src/engine/reference/depthwise_conv.ts for the definitions. NHWC: a pixel's channels are
// contiguous, and output channel c = ic · multiplier + m reads input channel c / multiplier and
// kernel element cell · outC + c, so every loop runs over output channels innermost, four at a
// time and then one at a time. Each kernel sums its taps into memory in the same order whatever
// the thread split, so the thread count never changes a bit.
import { fma } from './simd';

/** The four a[c' / m] of channels c' = c .. c + 3 (one load when m is 1). */
@inline function spread(a: usize, c: i32, m: i32): v128 {
  if (m == 1) return v128.load(a + (<usize>c << 2));
  let v = f32x4.splat(load<f32>(a + (<usize>(c / m) << 2)));
  v = f32x4.replace_lane(v, 1, load<f32>(a + (<usize>((c + 1) / m) << 2)));
  v = f32x4.replace_lane(v, 2, load<f32>(a + (<usize>((c + 2) / m) << 2)));
  return f32x4.replace_lane(v, 3, load<f32>(a + (<usize>((c + 3) / m) << 2)));
}

/** dst[c] += a[c / m] * b[c] for c < n. */
@inline function madd(dst: usize, a: usize, b: usize, n: i32, m: i32): void {
  let c = 0;
  for (; c + 4 <= n; c += 4) {
    const o = <usize>c << 2;
    v128.store(dst + o, fma(spread(a, c, m), v128.load(b + o), v128.load(dst + o)));
  }
  for (; c < n; c++) {
    const o = <usize>c << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(a + (<usize>(c / m) << 2)) * load<f32>(b + o));
  }
}

/** The first kernel cell along an axis whose input index origin + k · dilation is >= 0. */
@inline function firstTap(origin: i32, dilation: i32): i32 {
  return origin >= 0 ? 0 : (dilation - 1 - origin) / dilation;
}

/** One past the last kernel cell along an axis whose input index is < size. */
@inline function endTap(origin: i32, dilation: i32, k: i32, size: i32): i32 {
  return origin >= size ? 0 : min(k, (size - 1 - origin) / dilation + 1);
}

/**
 * For each kernel cell (row-major) of the window at input (h0, w0) that lies inside the image
 * `img`: madd(dst + cell · dstStep, that x pixel, b + cell · bStep, outC, m). The forward pass
 * steps through the kernel in b; the filter gradient steps through its rows in dst.
 */
@inline function window(
  dst: usize, dstStep: usize, img: usize, b: usize, bStep: usize, h0: i32, w0: i32,
  inH: i32, inW: i32, inC: i32, m: i32, kH: i32, kW: i32, dH: i32, dW: i32,
): void {
  const khEnd = endTap(h0, dH, kH, inH), kwEnd = endTap(w0, dW, kW, inW), kwStart = firstTap(w0, dW);
  for (let kh = firstTap(h0, dH); kh < khEnd; kh++) {
    for (let kw = kwStart; kw < kwEnd; kw++) {
      const cell = <usize>kh * kW + kw;
      const xAt = img + ((<usize>(h0 + kh * dH) * inW + w0 + kw * dW) * inC << 2);
      madd(dst + cell * dstStep, xAt, b + cell * bStep, inC * m, m);
    }
  }
}

/** Forward pass; units are (image, output row) pairs. */
export function depthwise_conv2d(
  start: i32, end: i32, tid: i32, x: usize, w: usize, out: usize,
  inH: i32, inW: i32, inC: i32, m: i32, outH: i32, outW: i32, kH: i32, kW: i32,
  strideH: i32, strideW: i32, dH: i32, dW: i32, padTop: i32, padLeft: i32,
): void {
  const outPixel = <usize>inC * m << 2;
  for (let u = start; u < end; u++) {
    const img = x + <usize>(u / outH) * inH * inW * inC * 4;
    const h0 = (u % outH) * strideH - padTop;
    for (let ow = 0; ow < outW; ow++) {
      const dst = out + (<usize>u * outW + ow) * outPixel;
      memory.fill(dst, 0, outPixel);
      window(dst, 0, img, w, outPixel, h0, ow * strideW - padLeft, inH, inW, inC, m, kH, kW, dH, dW);
    }
  }
}

/**
 * Input gradient as a gather; units are (image, input row) pairs. Each input pixel sums
 * dy[c] * w[cell, c] over the windows that read it into the `inC · m` floats of `scratch` per
 * thread (its own dx pixel when m is 1), then adds each channel's m sums.
 */
export function depthwise_conv2d_grad_input(
  start: i32, end: i32, tid: i32, dy: usize, w: usize, dx: usize, scratch: usize,
  inH: i32, inW: i32, inC: i32, m: i32, outH: i32, outW: i32, kH: i32, kW: i32,
  strideH: i32, strideW: i32, dH: i32, dW: i32, padTop: i32, padLeft: i32,
): void {
  const outC = inC * m;
  const outPixel = <usize>outC << 2;
  for (let u = start; u < end; u++) {
    const n = u / inH, ih = u % inH;
    for (let iw = 0; iw < inW; iw++) {
      const dst = dx + (<usize>u * inW + iw) * inC * 4;
      const acc = m == 1 ? dst : scratch + <usize>tid * outPixel;
      memory.fill(acc, 0, outPixel);
      for (let kh = 0; kh < kH; kh++) {
        const t = ih + padTop - kh * dH;
        if (t < 0) break;
        const oh = t / strideH;
        if (t % strideH != 0 || oh >= outH) continue;
        for (let kw = 0; kw < kW; kw++) {
          const s = iw + padLeft - kw * dW;
          if (s < 0) break;
          const ow = s / strideW;
          if (s % strideW != 0 || ow >= outW) continue;
          const dyAt = dy + ((<usize>n * outH + oh) * outW + ow) * outPixel;
          madd(acc, dyAt, w + (<usize>kh * kW + kw) * outPixel, outC, 1);
        }
      }
      if (m == 1) continue;
      for (let ic = 0; ic < inC; ic++) {
        let sum: f32 = 0;
        for (let j = 0; j < m; j++) sum += load<f32>(acc + ((<usize>ic * m + j) << 2));
        store<f32>(dst + (<usize>ic << 2), sum);
      }
    }
  }
}

/**
 * Filter gradient, one image per unit: image b's kH × kW × outC sums go to partial + b · that
 * many floats, and sum_partials adds the images' partials in order.
 */
export function depthwise_conv2d_grad_filter(
  start: i32, end: i32, tid: i32, x: usize, dy: usize, partial: usize,
  inH: i32, inW: i32, inC: i32, m: i32, outH: i32, outW: i32, kH: i32, kW: i32,
  strideH: i32, strideW: i32, dH: i32, dW: i32, padTop: i32, padLeft: i32,
): void {
  const outPixel = <usize>inC * m << 2;
  const filter = <usize>kH * kW * outPixel;
  for (let n = start; n < end; n++) {
    const img = x + <usize>n * inH * inW * inC * 4;
    const dst = partial + <usize>n * filter;
    memory.fill(dst, 0, filter);
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        const dyAt = dy + ((<usize>n * outH + oh) * outW + ow) * outPixel;
        const h0 = oh * strideH - padTop, w0 = ow * strideW - padLeft;
        window(dst, outPixel, img, dyAt, 0, h0, w0, inH, inW, inC, m, kH, kW, dH, dW);
      }
    }
  }
}
