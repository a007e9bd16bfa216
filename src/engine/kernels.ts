/**
 * The kernel interface: the whole contract between ops and the compute engine.
 *
 * Two implementations exist: the WASM SIMD engine (`wasm/`) and the slow, plain-TypeScript
 * reference (`reference/`) that tests compare it with. Kernels are raw: they take flat typed
 * arrays in row-major order plus a parameter struct, write into caller-allocated outputs and
 * never validate shapes (ops do that before calling). Every output element is overwritten.
 */

export type F32 = Float32Array;
export type I32 = Int32Array;

// ---- GEMM ------------------------------------------------------------------------------------

/**
 * `out[b] = op(A[b]) @ op(B[b])` for b < batch, with op(A) m×k and op(B) k×n.
 * A is stored m×k row-major, or k×m when `transA`; B is k×n, or n×k when `transB`.
 * `strideA`/`strideB` are the element distances between consecutive batch matrices
 * (0 broadcasts one matrix over the batch); out is always batch×m×n contiguous.
 */
export interface MatmulParams {
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  strideA: number;
  strideB: number;
}

export interface GemmKernels {
  matmul(a: F32, b: F32, out: F32, p: MatmulParams): void;
}

// ---- Convolution -----------------------------------------------------------------------------

/**
 * NHWC input `batch×inH×inW×inC`, HWIO kernel `kH×kW×inC×outC`, NHWC output
 * `batch×outH×outW×outC`. Padding is given by its top/left amounts; the bottom/right amounts
 * follow from outH/outW (Keras puts the odd extra pixel of 'same' at the bottom/right).
 */
export interface Conv2DParams {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padTop: number;
  padLeft: number;
}

/** Activations a convolution can apply on its output while it is still in cache. */
export type FusedActivation = 'linear' | 'relu';

export interface ConvKernels {
  /** out = act(conv(x, w) + bias); bias (outC) may be null. */
  conv2d(x: F32, w: F32, bias: F32 | null, out: F32, p: Conv2DParams, activation: FusedActivation): void;
  /** dx (NHWC, input shape) from dy (NHWC, output shape). */
  conv2dGradInput(dy: F32, w: F32, dx: F32, p: Conv2DParams): void;
  /** dw (HWIO) from x and dy. */
  conv2dGradFilter(x: F32, dy: F32, dw: F32, p: Conv2DParams): void;
  /**
   * The backward of conv2d with bias and activation, given its output y: g = dy where y > 0 for
   * 'relu' (all of dy for 'linear'), then grads.dx = conv2dGradInput(g), grads.dw =
   * conv2dGradFilter(x, g) and grads.db = the sum of g over pixels; a null gradient is skipped.
   */
  conv2dBackward(x: F32, w: F32, y: F32, dy: F32, grads: ConvGrads, p: Conv2DParams, activation: FusedActivation): void;
}

/** The gradients conv2dBackward fills: input (NHWC), filter (HWIO), bias (outC); null for not wanted. */
export interface ConvGrads {
  dx: F32 | null;
  dw: F32 | null;
  db: F32 | null;
}

// ---- Depthwise convolution -------------------------------------------------------------------

/**
 * Each input channel convolved with its own `depthMultiplier` filters: NHWC input
 * `batch×inH×inW×inC`, kernel `kH×kW×inC×depthMultiplier` (Keras's layout), NHWC output
 * `batch×outH×outW×(inC·depthMultiplier)` whose channel ic·depthMultiplier + m is input channel
 * ic under filter m. Geometry and padding as Conv2DParams.
 */
export interface DepthwiseConv2DParams extends Omit<Conv2DParams, 'outC'> {
  depthMultiplier: number;
}

export interface DepthwiseConvKernels {
  depthwiseConv2d(x: F32, w: F32, out: F32, p: DepthwiseConv2DParams): void;
  /** dx (NHWC, input shape) from dy (NHWC, output shape). */
  depthwiseConv2dGradInput(dy: F32, w: F32, dx: F32, p: DepthwiseConv2DParams): void;
  /** dw (kH×kW×inC×depthMultiplier) from x and dy. */
  depthwiseConv2dGradFilter(x: F32, dy: F32, dw: F32, p: DepthwiseConv2DParams): void;
}

// ---- Pooling ---------------------------------------------------------------------------------

/** NHWC input `batch×inH×inW×channels` → `batch×outH×outW×channels`. */
export interface Pool2DParams {
  batch: number;
  inH: number;
  inW: number;
  channels: number;
  outH: number;
  outW: number;
  poolH: number;
  poolW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
}

export interface PoolKernels {
  maxPool2d(x: F32, out: F32, p: Pool2DParams): void;
  /** Routes each dy to the first maximal cell of its window (TensorFlow's tie rule). */
  maxPool2dGrad(x: F32, dy: F32, dx: F32, p: Pool2DParams): void;
  /** Averages over the window cells inside the input only (TensorFlow/JAX 'same' semantics). */
  avgPool2d(x: F32, out: F32, p: Pool2DParams): void;
  avgPool2dGrad(dy: F32, dx: F32, p: Pool2DParams): void;
}

// ---- Batch normalization ---------------------------------------------------------------------

/** x viewed as `outer×channels×inner`; statistics are per channel. */
export interface BatchNormParams {
  outer: number;
  channels: number;
  inner: number;
  epsilon: number;
}

export interface BatchNormKernels {
  /** Training mode: batch mean and biased variance into mean/variance, normalized output. */
  batchNormTrain(x: F32, gamma: F32 | null, beta: F32 | null, out: F32, mean: F32, variance: F32, p: BatchNormParams): void;
  /** Inference mode with given statistics. */
  batchNormInfer(x: F32, mean: F32, variance: F32, gamma: F32 | null, beta: F32 | null, out: F32, p: BatchNormParams): void;
  /** Backward of batchNormTrain (statistics treated as functions of x). dgamma/dbeta may be null. */
  batchNormTrainGrad(
    x: F32, dy: F32, gamma: F32 | null, mean: F32, variance: F32,
    dx: F32, dgamma: F32 | null, dbeta: F32 | null, p: BatchNormParams,
  ): void;
}

// ---- Random ----------------------------------------------------------------------------------

/**
 * Counter-based generators: element i depends only on (seed, i), so results do not depend on
 * how the work is split across threads, and the reference and WASM engines agree exactly.
 */
export interface RandomKernels {
  randomUniform(out: F32, seed: number, minval: number, maxval: number): void;
  randomNormal(out: F32, seed: number, mean: number, stddev: number): void;
  /** Normal values redrawn until within two standard deviations of the mean (Keras/TF rule). */
  truncatedNormal(out: F32, seed: number, mean: number, stddev: number): void;
  /**
   * Inverted dropout in one pass: mask = 0 with probability `rate`, else 1 / (1 - rate) (kept
   * for the gradient), and out = x * mask.
   */
  dropout(x: F32, out: F32, mask: F32, seed: number, rate: number): void;
}

// ---- Elementwise, reductions, softmax --------------------------------------------------------

export type UnaryOp =
  | 'neg' | 'abs' | 'sign' | 'square' | 'sqrt' | 'rsqrt' | 'reciprocal'
  | 'exp' | 'expm1' | 'log' | 'log1p' | 'sin' | 'cos' | 'floor' | 'ceil' | 'round'
  | 'relu' | 'relu6' | 'sigmoid' | 'tanh' | 'elu' | 'selu' | 'gelu' | 'gelu_approximate'
  | 'silu' | 'leaky_relu' | 'softplus' | 'softsign' | 'hard_sigmoid' | 'hard_silu';

/** Parameters some unary ops take: alpha is leaky_relu's negative slope and elu's alpha. */
export interface UnaryParams {
  alpha: number;
}

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum' | 'pow'
  | 'equal' | 'not_equal' | 'less' | 'less_equal' | 'greater' | 'greater_equal';

export type ReduceOp = 'sum' | 'mean' | 'max' | 'min' | 'prod';
export type ArgReduceOp = 'argmax' | 'argmin';

/** A tensor viewed as `outer×axis×inner` around the one axis an op works along. */
export interface AxisParams {
  outer: number;
  axis: number;
  inner: number;
}

export interface ElementwiseKernels {
  unary(op: UnaryOp, x: F32, out: F32, p: UnaryParams): void;
  /** dx = dy * f'(x); y = f(x) is passed too because some derivatives are cheaper from it. */
  unaryGrad(op: UnaryOp, x: F32, y: F32, dy: F32, dx: F32, p: UnaryParams): void;
  /** NumPy broadcasting; shapes are already right-aligned to outShape's rank. Comparisons give 0/1. */
  binary(op: BinaryOp, a: F32, aShape: readonly number[], b: F32, bShape: readonly number[], out: F32, outShape: readonly number[]): void;
  /** out = perm-transposed x; out's shape is shape[perm[i]]. */
  transpose(x: F32, shape: readonly number[], perm: readonly number[], out: F32): void;
}

export interface ReductionKernels {
  /** Reduces x (of `shape`) over the sorted axes; out has the kept dimensions in order. */
  reduce(op: ReduceOp, x: F32, shape: readonly number[], axes: readonly number[], out: F32): void;
  argReduce(op: ArgReduceOp, x: F32, out: I32, p: AxisParams): void;
  softmax(x: F32, out: F32, p: AxisParams): void;
  logSoftmax(x: F32, out: F32, p: AxisParams): void;
  /** dx = y * (dy - sum(dy * y)) along the axis, with y = softmax(x). */
  softmaxGrad(y: F32, dy: F32, dx: F32, p: AxisParams): void;
  /**
   * Fused softmax + cross-entropy over rows×classes logits with one-hot or soft labels:
   * loss[r] = -sum(labels[r] * logSoftmax(logits[r])); dlogits (may be null) = softmax - labels.
   */
  softmaxCrossEntropy(logits: F32, labels: F32, loss: F32, dlogits: F32 | null, rows: number, classes: number): void;
  /** As softmaxCrossEntropy with integer class labels; dlogits = softmax - onehot(labels). */
  sparseSoftmaxCrossEntropy(logits: F32, labels: I32, loss: F32, dlogits: F32 | null, rows: number, classes: number): void;
}

// ---- Optimizer updates ------------------------------------------------------------------------

/** Adam's per-step constants, already float32 values (alpha carries the bias correction). */
export interface AdamParams {
  alpha: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export interface OptimizerKernels {
  /**
   * One Adam step in Keras's order of operations (adam.py), each operation rounded to float32
   * and no fused multiply-add, so it equals the same step composed from elementwise ops:
   * m' = m + (g - m) * (1 - beta1); v' = v + (g * g - v) * (1 - beta2);
   * w' = w - (m' * alpha) / (sqrt(v') + epsilon).
   */
  adamUpdate(w: F32, g: F32, m: F32, v: F32, wOut: F32, mOut: F32, vOut: F32, p: AdamParams): void;
}

// ---- Memory ------------------------------------------------------------------------------------

/**
 * Engine memory that outlives single kernel calls: one training or prediction step's tensors,
 * which kernels then read and write in place instead of copying. Workspaces nest; the
 * innermost one open is where `floats` and `ints` allocate.
 */
export interface Workspace {
  /**
   * Storage for `size` values, valid until `close`; zeroed as a new typed array is unless
   * `zeroed` is false, for a kernel output (kernels write every element of their outputs).
   */
  floats(size: number, zeroed: boolean): F32;
  ints(size: number): I32;
  /** Whether `values` lives in engine memory, which every workspace shares (so it may die with one). */
  holds(values: ArrayBufferView): boolean;
  /** Frees everything allocated since this workspace opened; workspaces close innermost first. */
  close(): void;
}

export interface MemoryKernels {
  /** A new innermost workspace, or null when the engine keeps every tensor on the JS heap. */
  openWorkspace(): Workspace | null;
}

export interface Kernels
  extends GemmKernels, ConvKernels, DepthwiseConvKernels, PoolKernels, BatchNormKernels, RandomKernels,
  ElementwiseKernels, ReductionKernels, OptimizerKernels, MemoryKernels {
  /** 'reference' or a description of the WASM build, e.g. 'wasm relaxed-simd, 2 threads'. */
  readonly name: string;
}
