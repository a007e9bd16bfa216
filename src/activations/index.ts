/**
 * keras.activations: the activation functions, and `get`, `serialize` and `deserialize`, which
 * map them to and from the snake_case names Keras writes in layer configs ("relu", "leaky_relu").
 * Mirrors keras/src/activations/__init__.py.
 */
import { isSerializedObject, type SerializedObject } from '../saving/serialization_lib.js';
import { describe } from '../ops/checks.js';
import * as fns from './activations.js';
import type { Activation } from './activations.js';

export * from './activations.js';

/** Keras's names, each mapped to its function; the aliases come last so a function's name is its first entry. */
const ALL_OBJECTS = new Map<string, Activation>([
  ['relu', fns.relu], ['leaky_relu', fns.leakyRelu], ['relu6', fns.relu6], ['softmax', fns.softmax], ['celu', fns.celu],
  ['elu', fns.elu], ['selu', fns.selu], ['softplus', fns.softplus], ['softsign', fns.softsign],
  ['squareplus', fns.squareplus], ['soft_shrink', fns.softShrink], ['sparse_plus', fns.sparsePlus], ['silu', fns.silu],
  ['gelu', fns.gelu], ['glu', fns.glu], ['tanh', fns.tanh], ['tanh_shrink', fns.tanhShrink],
  ['threshold', fns.threshold], ['sigmoid', fns.sigmoid], ['sparse_sigmoid', fns.sparseSigmoid],
  ['exponential', fns.exponential], ['hard_sigmoid', fns.hardSigmoid], ['hard_silu', fns.hardSilu],
  ['hard_tanh', fns.hardTanh], ['hard_shrink', fns.hardShrink], ['linear', fns.linear], ['mish', fns.mish],
  ['log_softmax', fns.logSoftmax], ['log_sigmoid', fns.logSigmoid], ['sparsemax', fns.sparsemax],
  // Keras: activations/__init__.py additional aliases.
  ['swish', fns.silu], ['hard_swish', fns.hardSilu],
]);

const NAMES = new Map<Activation, string>();
for (const [name, fn] of ALL_OBJECTS) if (!NAMES.has(fn)) NAMES.set(fn, name);

function uninterpretable(identifier: unknown): never {
  const shown = typeof identifier === 'string' ? identifier
    : isSerializedObject(identifier) ? JSON.stringify(identifier) : describe(identifier);
  throw new Error(`Could not interpret activation function identifier: ${shown}. ` +
    `Known activation functions: ${[...ALL_OBJECTS.keys()].sort().join(', ')}`);
}

/** An activation identifier: a Keras name, a function, a serialized function, or null for linear. */
export type ActivationIdentifier = string | Activation | SerializedObject | null | undefined;

/**
 * Returns the activation for `identifier` (keras.activations.get).
 *
 * Args:
 *   identifier: a Keras name ('relu', 'leaky_relu', 'swish'), a function (returned as is), a
 *     serialized function (`{class_name: 'function', config: 'relu', ...}`), or null/undefined
 *     for `linear`.
 *
 * Example: `keras.activations.get('hard_sigmoid')(x)`.
 */
export function get(identifier: ActivationIdentifier): Activation {
  if (identifier === null || identifier === undefined) return fns.linear;
  if (typeof identifier === 'function') return identifier;
  return deserialize(identifier);
}

/**
 * The name Keras writes for a built-in activation in layer configs ("relu", "softmax"); aliases
 * give their function's name (swish -> "silu").
 */
export function serialize(activation: Activation): string {
  const name = NAMES.get(activation);
  if (name === undefined) {
    throw new Error(`Unknown activation function '${activation.name}' cannot be serialized due to invalid function ` +
      `name. Make sure to use one of the keras.activations functions: ${[...NAMES.values()].sort().join(', ')}`);
  }
  return name;
}

/**
 * The activation named by `config` (keras.activations.deserialize): a name, or a serialized
 * function such as `{module: 'keras.activations', class_name: 'function', config: 'relu', registered_name: 'relu'}`.
 */
export function deserialize(config: string | SerializedObject): Activation {
  const name = isSerializedObject(config) && config.class_name === 'function' ? config.config : config;
  const fn = typeof name === 'string' ? ALL_OBJECTS.get(name) : undefined;
  return fn ?? uninterpretable(config);
}
