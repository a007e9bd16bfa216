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
import { dataTensor, type Dataset } from '../trainers/data.js';
import { compileTrainer, type CompileOptions } from '../trainers/compile.js';
import { summaryText, type SummaryOptions } from '../utils/summary.js';
import { writeToStdout } from '../utils/progbar.js';
import { deserialize, serialize, type SerializedLayer } from '../layers/index.js';
import type { Node } from '../layers/node.js';
import type { Config } from '../saving/serialization_lib.js';
import type { LoadWeightsOptions } from '../saving/saving_api.js';

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

  /** The compile arguments as a .keras file stores them ({} before compile), Keras's get_compile_config. */
  getCompileConfig(): Config {
    return this.trainer?.compileConfig ?? {};
  }

  get optimizer(): Trainer['optimizer'] | null {
    return this.trainer?.optimizer ?? null;
  }

  /** Trains for `epochs` passes over (x, y) or over a Dataset of [x, y] batches; resolves to the History. */
  async fit(x: Dataset, options?: FitOptions): Promise<History>;
  async fit(x: TensorLike, y: TensorLike, options?: FitOptions): Promise<History>;
  async fit(x: TensorLike | Dataset, y?: TensorLike | FitOptions, options: FitOptions = {}): Promise<History> {
    return this.compiled('fit').fit(x, y, options);
  }

  /** The loss (and metrics) on (x, y) or a Dataset: a number, a list in metricsNames order, or a dict. */
  async evaluate(x: Dataset, options?: EvaluateOptions): Promise<number | number[] | Logs>;
  async evaluate(x: TensorLike, y: TensorLike, options?: EvaluateOptions): Promise<number | number[] | Logs>;
  async evaluate(x: TensorLike | Dataset, y?: TensorLike | EvaluateOptions, options: EvaluateOptions = {}):
    Promise<number | number[] | Logs> {
    return this.compiled('evaluate').evaluate(x, y, options);
  }

  /** The model's outputs for x (tensors, or a Dataset whose labels are ignored), in batches (no compile needed). */
  async predict(x: TensorLike | Dataset, options: PredictOptions = {}): Promise<Tensor> {
    return predict(this, x, options);
  }

  trainOnBatch(x: TensorLike, y: TensorLike): Logs {
    return this.compiled('trainOnBatch').trainOnBatch(x, y);
  }

  testOnBatch(x: TensorLike, y: TensorLike): Logs {
    return this.compiled('testOnBatch').testOnBatch(x, y);
  }

  /** The batch in one pass on the heap, as Keras's predict_on_batch; `predict` slices big batches in workspaces. */
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
    else writeToStdout(text);
  }

  /** The graph whose shape decides the summary's columns; Sequential models always get 3 columns. */
  protected summaryGraph(): FunctionalGraph | null {
    return this.graph;
  }

  // ---- Saving ------------------------------------------------------------------------------------

  /**
   * The functional model's config as Keras writes it (functional.py get_config): every layer with
   * its `name` and `inbound_nodes`, then `input_layers` and `output_layers`.
   */
  override getConfig(): Config {
    const graph = this.graph;
    if (!graph) return super.getConfig();
    const kept = (node: Node): boolean => graph.nodes.includes(node) || graph.inputs.some((t) => t.history!.node === node);
    const history = (t: KerasTensor): [string, number, number] => {
      const { node, index } = t.history!;
      return [node.layer.name, node.layer.inboundNodes.filter(kept).indexOf(node), index];
    };
    const tensorConfig = (t: KerasTensor): Config =>
      ({ class_name: '__keras_tensor__', config: { shape: t.shape, dtype: t.dtype, keras_history: history(t) } });
    const layers = graph.layers.map((layer) => ({
      ...serialize(layer),
      name: layer.name,
      inbound_nodes: layer.inboundNodes.filter((n) => kept(n) && n.inputs.length > 0).map((n) => ({
        args: [n.inputs.length === 1 ? tensorConfig(n.inputs[0]) : n.inputs.map(tensorConfig)],
        kwargs: {},
      })),
    }));
    // A single input or output is written bare, as Keras does for a model built from one tensor.
    const refs = (tensors: readonly KerasTensor[]): unknown => (tensors.length === 1 ? history(tensors[0]) : tensors.map(history));
    return { name: this.name, trainable: this.trainable, layers, input_layers: refs(graph.inputs), output_layers: refs(graph.outputs) };
  }

  /** Rebuilds a functional model from its config (Keras's functional_from_config). */
  static fromConfig(config: Config): Model {
    const outputsOf = new Map<string, KerasTensor[]>();
    const tensorAt = ([name, nodeIndex]: [string, number, number]): KerasTensor => {
      const tensor = outputsOf.get(name)?.[nodeIndex];
      if (!tensor) throw new Error(`Functional config: layer '${name}' has no node ${nodeIndex} (layers must come in graph order)`);
      return tensor;
    };
    const fromArg = (arg: Config | Config[]): KerasTensor | KerasTensor[] =>
      (Array.isArray(arg) ? arg.map((a) => fromArg(a) as KerasTensor) : tensorAt((arg.config as Config).keras_history as [string, number, number]));
    for (const spec of config.layers as (SerializedLayer & { name: string; inbound_nodes: { args: (Config | Config[])[] }[] })[]) {
      const layer = deserialize(spec);
      const outputs = layer instanceof InputLayer ? [layer.output] : [];
      for (const node of spec.inbound_nodes) {
        const arg = fromArg(node.args[0]);
        outputs.push(Array.isArray(arg) ? layer.apply(arg) : layer.apply(arg));
      }
      outputsOf.set(spec.name, outputs);
    }
    const refs = (value: unknown): KerasTensor[] => {
      const list = value as [string, number, number] | [string, number, number][];
      return typeof list[0] === 'string' ? [tensorAt(list as [string, number, number])] : (list as [string, number, number][]).map(tensorAt);
    };
    return new Model({ inputs: refs(config.input_layers), outputs: refs(config.output_layers), name: config.name as string,
      trainable: config.trainable as boolean | undefined });
  }

  /**
   * Saves the model: `.keras` (Keras 3's zip) or `.h5` (the legacy HDF5 format). The file is
   * written whole or not at all.
   *
   * Example: `await model.save('mnist.keras'); const same = await keras.saving.loadModel('mnist.keras');`
   */
  async save(filepath: string): Promise<void> {
    // Imported on use: the savers import the model classes, which extend this one.
    const { saveModel } = await import('../saving/saving_api.js');
    await saveModel(this, filepath);
  }

  /** Saves the weights (and optimizer state) to a `.weights.h5` file, or a legacy `.h5` file. */
  async saveWeights(filepath: string): Promise<void> {
    const { saveWeights } = await import('../saving/saving_api.js');
    await saveWeights(this, filepath);
  }

  /**
   * Loads weights from a `.weights.h5`, `.keras` or legacy `.h5` file (a path or its bytes). The
   * legacy format also takes `byName` and `skipMismatch`.
   */
  async loadWeights(source: string | Uint8Array | ArrayBuffer, options: LoadWeightsOptions = {}): Promise<void> {
    const { loadWeights } = await import('../saving/saving_api.js');
    await loadWeights(this, source, options);
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
