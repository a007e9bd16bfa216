/**
 * The base class of every layer. Mirrors keras/src/layers/layer.py.
 *
 * A layer has five parts, in this order: the constructor (validate, store the config),
 * `build` (create weights with `addWeight`), `call` (ops only), `computeOutputShape`, and
 * `getConfig`. `apply` is Keras's `layer(x)`: on tensors it computes, on symbolic tensors
 * (from `keras.Input`) it records a node of the functional graph.
 */
import { KerasTensor } from '../backend/keras_tensor.js';
import { Tensor, formatShape, type DType, type Shape } from '../backend/tensor.js';
import { Variable } from '../backend/variable.js';
import { noGrad } from '../backend/tape.js';
import { convertToTensor } from '../ops/core.js';
import type { Config } from '../saving/serialization_lib.js';
import { scopedPath, toSnakeCase, uniquify } from '../utils/naming.js';
import { assertInputCompatibility, type InputSpec, type LayerShape } from './input_spec.js';
import { Node } from './node.js';

export interface LayerOptions {
  name?: string;
  trainable?: boolean;
  dtype?: DType;
  /** Keras's `input_shape`: the shape of one sample, declaring the input of a Sequential's first layer. */
  inputShape?: readonly (number | null)[];
  /** With `inputShape`: a fixed batch size (default: any). */
  batchSize?: number;
}

export interface CallOptions {
  /** Training mode (Dropout drops, BatchNormalization uses batch statistics). Default false. */
  training?: boolean;
}

/** What `addWeight` needs of an initializer and a regularizer (see keras.initializers/regularizers). */
export interface WeightInitializer {
  call(shape: Shape): Tensor;
}
export interface WeightRegularizer {
  call(x: Tensor): Tensor;
}

export interface AddWeightOptions {
  initializer: WeightInitializer;
  trainable?: boolean;
  regularizer?: WeightRegularizer | null;
}

export type LayerInput = Tensor | readonly Tensor[];
export type SymbolicInput = KerasTensor | readonly KerasTensor[];

export abstract class Layer {
  static readonly className: string = 'Layer';

  name: string;
  built = false;
  /** The shape `build` was called with, for the saved `build_config`. */
  buildInputShape: LayerShape | LayerShape[] | null = null;
  /** Checked on every call; subclasses set it in the constructor or in build. */
  protected inputSpec: (InputSpec | null)[] | null = null;
  /** The batch input shape declared through `inputShape`/`batchSize`, if any. */
  readonly batchInputShape: LayerShape | null;
  readonly dtype: DType;
  /** Every symbolic application of this layer, in order (Keras's _inbound_nodes). */
  readonly inboundNodes: Node[] = [];

  private trainableFlag: boolean;
  private readonly trainableVariables: Variable[] = [];
  private readonly nonTrainableVariables: Variable[] = [];
  private readonly regularized: [Variable, WeightRegularizer][] = [];

  constructor(options: LayerOptions = {}) {
    this.name = options.name ?? uniquify(toSnakeCase(this.className));
    this.trainableFlag = options.trainable ?? true;
    this.dtype = options.dtype ?? 'float32';
    this.batchInputShape = options.inputShape ? [options.batchSize ?? null, ...options.inputShape] : null;
  }

  /** The Keras class name, e.g. 'Conv2D' (kept literal: minifiers rename classes). */
  get className(): string {
    return (this.constructor as typeof Layer).className;
  }

  // ---- Weights ---------------------------------------------------------------------------------

  /** Creates a weight (Keras's add_weight). Trainable weights come first in `weights`. */
  addWeight(name: string, shape: Shape, options: AddWeightOptions): Variable {
    const value = noGrad(() => options.initializer.call(shape));
    const trainable = options.trainable ?? true;
    const variable = new Variable(value, { name, path: scopedPath(`${this.name}/${name}`), trainable: trainable && this.trainableFlag });
    (trainable ? this.trainableVariables : this.nonTrainableVariables).push(variable);
    if (options.regularizer) this.regularized.push([variable, options.regularizer]);
    return variable;
  }

  /** Sublayers whose weights this layer owns (models override it). */
  get layers(): readonly Layer[] {
    return [];
  }

  get weights(): Variable[] {
    const own = [...this.trainableVariables, ...this.nonTrainableVariables];
    return unique([...own, ...this.layers.flatMap((l) => l.weights)]);
  }

  get trainableWeights(): Variable[] {
    return this.trainable ? this.weights.filter((v) => v.trainable) : [];
  }

  get nonTrainableWeights(): Variable[] {
    return this.trainable ? this.weights.filter((v) => !v.trainable) : this.weights;
  }

  /**
   * Freezing a layer makes its weights (and its sublayers') non-trainable; a frozen
   * BatchNormalization also runs in inference mode, as in Keras.
   */
  get trainable(): boolean {
    return this.trainableFlag;
  }

  set trainable(value: boolean) {
    this.trainableFlag = value;
    for (const v of this.trainableVariables) v.trainable = value;
    for (const layer of this.layers) layer.trainable = value;
  }

  /** Copies of the weights' values, in `weights` order. */
  getWeights(): Tensor[] {
    return this.weights.map((v) => v.numpy());
  }

  /** Sets every weight from a list in `weights` order, checking count and shapes first. */
  setWeights(values: readonly Tensor[]): void {
    const weights = this.weights;
    if (values.length !== weights.length) {
      throw new Error(`Layer ${this.name} weight shape mismatch: you called setWeights() on layer "${this.name}" with a weight list ` +
        `of length ${values.length}, but the layer was expecting ${weights.length} weights.`);
    }
    values.forEach((value, i) => {
      const v = weights[i];
      const t = value instanceof Tensor ? value : convertToTensor(value);
      if (t.rank !== v.shape.length || t.shape.some((d, j) => d !== v.shape[j])) {
        throw new Error(`Layer ${this.name} weight shape mismatch: weight '${v.name}' (index ${i}) has shape ` +
          `${formatShape(v.shape)}, but the value provided has shape ${formatShape(t.shape)}.`);
      }
    });
    values.forEach((value, i) => weights[i].assign(convertToTensor(value, undefined, weights[i].dtype)));
  }

  countParams(): number {
    if (!this.built && this.weights.length === 0) {
      throw new Error(`You tried to call countParams on layer '${this.name}', but the layer isn't built. ` +
        'You can build it manually via: `layer.build(inputShape)`.');
    }
    return this.weights.reduce((n, v) => n + v.value.size, 0);
  }

  /** The penalties of the weights' regularizers, from their current values. */
  regularizationLosses(): Tensor[] {
    return [
      ...this.regularized.map(([v, r]) => r.call(v.value)),
      ...this.layers.flatMap((l) => l.regularizationLosses()),
    ];
  }

  // ---- The five parts --------------------------------------------------------------------------

  /** Creates the weights for inputs of `inputShape`; the default has none. */
  build(inputShape: LayerShape | LayerShape[]): void {
    this.buildInputShape = inputShape;
    this.built = true;
  }

  /** The computation, on tensors, with ops only. */
  abstract call(inputs: LayerInput, options: CallOptions): Tensor;

  /** The output shape for inputs of `inputShape`; the default keeps the shape. */
  computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    return inputShape as LayerShape;
  }

  /** The layer's config exactly as Keras writes it (snake_case keys). */
  getConfig(): Config {
    return {
      name: this.name,
      trainable: this.trainable,
      dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: this.dtype }, registered_name: null },
    };
  }

  // ---- Calling ---------------------------------------------------------------------------------

  /** Keras's `layer(inputs, training=...)`: computes on tensors, records a graph node on symbolic tensors. */
  apply(inputs: Tensor, options?: CallOptions): Tensor;
  apply(inputs: readonly Tensor[], options?: CallOptions): Tensor;
  apply(inputs: KerasTensor | readonly KerasTensor[], options?: CallOptions): KerasTensor;
  apply(inputs: LayerInput | SymbolicInput, options: CallOptions = {}): Tensor | KerasTensor {
    const list: readonly (Tensor | KerasTensor)[] = Array.isArray(inputs) ? inputs : [inputs as Tensor | KerasTensor];
    const symbolic = list.every((x) => x instanceof KerasTensor);
    if (!symbolic && !list.every((x) => x instanceof Tensor)) {
      throw new Error(`Inputs to layer "${this.name}" should be tensors (all symbolic or all concrete), ` +
        `received ${list.map((x) => (x instanceof Tensor || x instanceof KerasTensor ? x.constructor.name : typeof x)).join(', ')}`);
    }
    const many = Array.isArray(inputs);
    // 1. Check the inputs against the layer's spec.
    const shapes = list.map((x) => (x instanceof Tensor ? x.shape : x.shape));
    if (this.inputSpec) assertInputCompatibility(this.inputSpec, shapes, this.name);
    // 2. Build on first use.
    if (!this.built) {
      this.build(many ? shapes : shapes[0]);
      this.built = true;
      if (this.inputSpec) assertInputCompatibility(this.inputSpec, shapes, this.name);
    }
    // 3. Record a graph node, or compute.
    if (symbolic) {
      const outShape = this.computeOutputShape(many ? shapes : shapes[0]);
      const output = new KerasTensor(outShape, this.dtype, `${this.name}_output`);
      const node = new Node(this, list as KerasTensor[], [output]);
      output.history = { node, index: 0 };
      this.inboundNodes.push(node);
      return output;
    }
    return this.call(many ? (list as Tensor[]) : (list[0] as Tensor), { training: options.training ?? false });
  }
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
