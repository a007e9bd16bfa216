/**
 * A model: layers plus training (compile / fit / evaluate / predict). Built from symbolic
 * inputs and outputs it is a functional model (Keras's `Model(inputs, outputs)`, class_name
 * 'Functional'); Sequential builds its graph the same way. Mirrors keras/src/models/model.py
 * and functional.py.
 */
import { KerasTensor } from '../backend/keras_tensor.js';
import { Tensor } from '../backend/tensor.js';
import type { LayerShape } from '../layers/input_spec.js';
import { Layer, type CallOptions, type LayerInput } from '../layers/layer.js';
import { InputLayer } from '../layers/core/input_layer.js';
import { toSnakeCase, uniquify } from '../utils/naming.js';
import { FunctionalGraph } from './functional_graph.js';
import type { History } from '../callbacks/history.js';
import type { Logs } from '../callbacks/callback.js';
import type { TensorLike } from '../ops/core.js';
import { predict, predictStep, Trainer, type EvaluateOptions, type FitOptions, type PredictOptions } from '../trainers/trainer.js';
import { dataTensor } from '../trainers/data.js';
import { compileTrainer, type CompileOptions } from '../trainers/compile.js';
import { summaryText, type SummaryOptions } from '../utils/summary.js';

type Symbolic = KerasTensor | readonly KerasTensor[];

export interface ModelOptions {
  name?: string;
  trainable?: boolean;
}

export interface FunctionalArgs extends ModelOptions {
  inputs: Symbolic;
  outputs: Symbolic;
}

export class Model extends Layer {
  static override readonly className: string = 'Functional';
  protected graph: FunctionalGraph | null = null;
  /** Set by a callback to end `fit` after the current epoch. */
  stopTraining = false;
  /** The History of the latest `fit`. */
  history?: History;
  private trainer: Trainer | null = null;

  /**
   * `new Model({inputs, outputs, name})` or `new Model(inputs, outputs, {name})`.
   *
   * Example:
   *   const inputs = keras.Input({shape: [28, 28, 1]});
   *   const x = new keras.layers.Flatten().apply(inputs);
   *   const outputs = new keras.layers.Dense(10, {activation: 'softmax'}).apply(x);
   *   const model = new keras.Model({inputs, outputs});
   */
  constructor(args?: FunctionalArgs | ModelOptions);
  constructor(inputs: Symbolic, outputs: Symbolic, options?: ModelOptions);
  constructor(first: FunctionalArgs | ModelOptions | Symbolic = {}, outputs?: Symbolic, options: ModelOptions = {}) {
    const args: FunctionalArgs | ModelOptions = isSymbolic(first) ? { ...options, inputs: first, outputs: outputs! } : first;
    // Subclasses (Sequential, user models) are named after their class: 'sequential', 'my_model'.
    super({ name: args.name ?? uniquify(new.target === Model ? 'functional' : toSnakeCase(new.target.className)), trainable: args.trainable });
    if (isFunctionalArgs(args)) this.setGraph(listOf(args.inputs), listOf(args.outputs));
  }

  protected setGraph(inputs: readonly KerasTensor[], outputs: readonly KerasTensor[]): void {
    if (outputs.length !== 1) throw new Error(`Model: exactly one output is supported, received ${outputs.length}`);
    this.graph = new FunctionalGraph(inputs, outputs);
    this.built = true;
  }

  override get layers(): readonly Layer[] {
    return this.graph?.layers ?? [];
  }

  /** The symbolic input (the first one when there are several). */
  get input(): KerasTensor {
    return this.requireGraph('input').inputs[0];
  }

  get inputs(): readonly KerasTensor[] {
    return this.requireGraph('inputs').inputs;
  }

  get output(): KerasTensor {
    return this.requireGraph('output').outputs[0];
  }

  get outputs(): readonly KerasTensor[] {
    return this.requireGraph('outputs').outputs;
  }

  /** A layer by name or by index in `layers`. */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    if (typeof nameOrIndex === 'number') {
      const layer = layers[nameOrIndex];
      if (!layer) throw new Error(`Was asked to retrieve layer at index ${nameOrIndex} but model only has ${layers.length} layers.`);
      return layer;
    }
    const layer = layers.find((l) => l.name === nameOrIndex);
    if (!layer) throw new Error(`No such layer: ${nameOrIndex}. Existing layers are: ${layers.map((l) => l.name).join(', ')}.`);
    return layer;
  }

  call(inputs: LayerInput, options: CallOptions): Tensor {
    const graph = this.requireGraph('call');
    return graph.run(inputs instanceof Tensor ? [inputs] : inputs, options.training ?? false)[0];
  }

  override computeOutputShape(inputShape: LayerShape | LayerShape[]): LayerShape {
    const shapes = Array.isArray(inputShape[0]) || inputShape.length === 0 ? (inputShape as LayerShape[]) : [inputShape as LayerShape];
    return this.requireGraph('computeOutputShape').outputShapes(shapes)[0];
  }

  // ---- Training ---------------------------------------------------------------------------------

  /**
   * Configures training (Keras's compile).
   *
   * Example: `model.compile({optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy']})`
   */
  compile(options: CompileOptions): void {
    this.trainer = compileTrainer(this, options);
  }

  get optimizer(): Trainer['optimizer'] | null {
    return this.trainer?.optimizer ?? null;
  }

  /** Trains for `epochs` passes over (x, y); resolves to the History. */
  async fit(x: TensorLike, y: TensorLike, options: FitOptions = {}): Promise<History> {
    return this.compiled('fit').fit(x, y, options);
  }

  /** The loss (and metrics) on (x, y): a number, a list in metricsNames order, or a dict. */
  async evaluate(x: TensorLike, y: TensorLike, options: EvaluateOptions = {}): Promise<number | number[] | Logs> {
    return this.compiled('evaluate').evaluate(x, y, options);
  }

  /** The model's outputs for x, computed in batches (no compile needed). */
  async predict(x: TensorLike, options: PredictOptions = {}): Promise<Tensor> {
    return predict(this, x, options);
  }

  trainOnBatch(x: TensorLike, y: TensorLike): Logs {
    return this.compiled('trainOnBatch').trainOnBatch(x, y);
  }

  testOnBatch(x: TensorLike, y: TensorLike): Logs {
    return this.compiled('testOnBatch').testOnBatch(x, y);
  }

  predictOnBatch(x: TensorLike): Tensor {
    return predictStep(this, dataTensor('predictOnBatch', 'x', x));
  }

  /** 'loss' then the compiled metrics' names, the order `evaluate` returns them in. */
  get metricsNames(): string[] {
    return this.trainer?.metrics.names() ?? [];
  }

  /** Prints (or hands to `printFn`) the table Keras prints. */
  summary(options: SummaryOptions = {}): void {
    const text = summaryText({
      name: this.name,
      layers: this.layers,
      trainableWeights: this.trainableWeights,
      nonTrainableWeights: this.nonTrainableWeights,
      functionalGraph: this.summaryGraph(),
      optimizerVariables: this.trainer?.optimizer.built ? this.trainer.optimizer.variables : null,
    }, options);
    if (options.printFn) options.printFn(text);
    else process.stdout.write(text);
  }

  /** The graph whose shape decides the summary's columns; Sequential models always get 3 columns. */
  protected summaryGraph(): FunctionalGraph | null {
    return this.graph;
  }

  private compiled(method: string): Trainer {
    if (!this.trainer) throw new Error(`You must call \`compile()\` before using the model's ${method}().`);
    return this.trainer;
  }

  protected requireGraph(what: string): FunctionalGraph {
    if (!this.graph) {
      throw new Error(`${what}: this model has not yet been built. Build the model first by calling \`build()\` ` +
        'or by calling the model on a batch of data.');
    }
    return this.graph;
  }
}

function isFunctionalArgs(args: FunctionalArgs | ModelOptions): args is FunctionalArgs {
  return 'inputs' in args && args.inputs !== undefined;
}

function isSymbolic(value: unknown): value is Symbolic {
  return value instanceof KerasTensor || Array.isArray(value);
}

function listOf(x: Symbolic): readonly KerasTensor[] {
  return x instanceof KerasTensor ? [x] : x;
}

/** Whether a layer is a graph input (kept out of Sequential's `layers`, as in Keras). */
export function isInputLayer(layer: Layer): layer is InputLayer {
  return layer instanceof InputLayer;
}
