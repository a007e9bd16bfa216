/**
 * A linear stack of layers. Mirrors keras/src/models/sequential.py: once the input shape is
 * known (an Input, an `inputShape` on the first layer, or the first batch of data) the stack
 * is built as a functional graph, so shapes are checked and `summary()` can show them.
 */
import { KerasTensor } from '../backend/keras_tensor.js';
import type { Tensor } from '../backend/tensor.js';
import type { LayerShape } from '../layers/input_spec.js';
import { deserialize, serialize, type SerializedLayer } from '../layers/index.js';
import { Layer, type CallOptions, type LayerInput } from '../layers/layer.js';
import { InputLayer } from '../layers/core/input_layer.js';
import { describe } from '../ops/checks.js';
import type { Config } from '../saving/serialization_lib.js';
import { withNameScope } from '../utils/naming.js';
import { Model, type ModelOptions } from './model.js';

export class Sequential extends Model {
  static override readonly className: string = 'Sequential';
  /** The stack, with its InputLayer first when the input is known. */
  private stack: Layer[] = [];

  /**
   * Example:
   *   const model = new keras.Sequential([
   *     new keras.layers.Conv2D(32, 3, {activation: 'relu', inputShape: [28, 28, 1]}),
   *     new keras.layers.Flatten(),
   *     new keras.layers.Dense(10, {activation: 'softmax'}),
   *   ]);
   */
  constructor(layers: readonly (Layer | KerasTensor)[] = [], options: ModelOptions = {}) {
    super(options);
    for (const layer of layers) this.add(layer);
  }

  /** Adds a layer (or a keras.Input, which sets the model's input) on top of the stack. */
  add(layer: Layer | KerasTensor): void {
    if (layer instanceof KerasTensor) {
      const origin = layer.history?.node.layer;
      if (!(origin instanceof InputLayer)) throw new Error('Sequential.add: only tensors made by keras.Input can be added');
      layer = origin;
    }
    if (!(layer instanceof Layer)) {
      throw new Error(`Only instances of \`keras.Layer\` can be added to a Sequential model. Received: ${describe(layer)}`);
    }
    if (layer instanceof InputLayer) {
      if (this.stack[0] instanceof InputLayer) {
        throw new Error(`Sequential model '${this.name}' has already been configured to use input shape ` +
          `${JSON.stringify(this.stack[0].batchShape)}. You cannot add a different Input layer to it.`);
      }
      this.stack.unshift(layer);
    } else {
      if (this.stack.length === 0 && layer.batchInputShape) {
        this.stack.push(new InputLayer({ batchShape: layer.batchInputShape }));
      }
      if (this.stack.some((l) => l.name === layer.name)) {
        throw new Error(`All layers added to a Sequential model should have unique names. Name "${layer.name}" is already ` +
          'the name of a layer in this model. Update the `name` argument to pass a unique name.');
      }
      this.stack.push(layer);
    }
    this.rebuild();
  }

  /** Removes the last layer. */
  pop(): Layer {
    const last = this.stack.at(-1);
    if (!last || last instanceof InputLayer) throw new Error('There are no layers in the model.');
    this.stack.pop();
    this.rebuild();
    return last;
  }

  /** The layers of the stack, without the InputLayer (as Keras's Sequential.layers). */
  override get layers(): readonly Layer[] {
    return this.stack.filter((l) => !(l instanceof InputLayer));
  }

  /** Builds the stack for inputs of `inputShape` (batch dimension included). */
  override build(inputShape: LayerShape | LayerShape[]): void {
    if (this.graph) return;
    const shape = inputShape as LayerShape;
    this.stack.unshift(new InputLayer({ batchShape: [null, ...shape.slice(1)] }));
    this.rebuild();
  }

  override call(inputs: LayerInput, options: CallOptions): Tensor {
    if (!this.graph) this.build((inputs as Tensor).shape);
    return super.call(inputs, options);
  }

  /**
   * The config Keras writes (sequential.py get_config): the model's name, trainable and dtype,
   * every layer (the InputLayer first when the input is known), and `build_input_shape`.
   */
  override getConfig(): Config {
    // Keras: Model.get_config(self), the base layer's keys, not the functional graph's.
    const config: Config = { ...Layer.prototype.getConfig.call(this), layers: this.stack.map(serialize) };
    if (this.graph) config.build_input_shape = (this.stack[0] as InputLayer).batchShape;
    return config;
  }

  /**
   * Rebuilds a Sequential model from its config. Layers are built by the model, under its name
   * scope (their weights get paths like 'sequential/dense/kernel'), rather than from their own
   * build_config.
   */
  static override fromConfig(config: Config): Sequential {
    if (typeof config.name !== 'string' || !Array.isArray(config.layers)) {
      throw new Error(`A Sequential model configuration must be a dictionary containing the 'name' and 'layers' keys. ` +
        `Received: config=${JSON.stringify(config).slice(0, 200)}`);
    }
    const model = new Sequential([], { name: config.name, trainable: config.trainable as boolean | undefined });
    for (const spec of config.layers as SerializedLayer[]) model.add(deserialize({ ...spec, build_config: undefined }));
    const shape = config.build_input_shape as LayerShape | null | undefined;
    if (!model.graph && shape) model.build(shape);
    return model;
  }

  protected override summaryGraph(): null {
    return null;
  }

  /** Rebuilds the functional graph when the input is known, so each layer checks its input shape now. */
  private rebuild(): void {
    const [first, ...rest] = this.stack;
    if (!(first instanceof InputLayer) || rest.length === 0) {
      this.graph = null;
      this.built = false;
      return;
    }
    // Layers built here get weight paths under the model's name, as in Keras.
    const output = withNameScope(this.name, () => rest.reduce((x, layer) => layer.apply(x), first.output));
    this.setGraph([first.output], [output]);
  }
}
