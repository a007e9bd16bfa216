/**
 * The steps every keras.applications model function takes around its architecture, in Keras's
 * order (keras/src/applications/vgg16.py, resnet.py): check the arguments, make the input, build
 * the layers, make the functional model, load the weights.
 */
import { existsSync } from 'node:fs';
import type { ActivationIdentifier } from '../activations/index.js';
import { KerasTensor } from '../backend/keras_tensor.js';
import { Input } from '../layers/core/input_layer.js';
import { Model } from '../models/model.js';
import { fetchKerasFile, obtainInputShape, validateActivation } from './imagenet_utils.js';

export interface ApplicationOptions {
  /** Whether to include the classifier at the top of the network. Keras: include_top=True. */
  includeTop?: boolean;
  /**
   * `null` (random initialization), 'imagenet' (pre-training on ImageNet), or the path to a
   * weights file to load. Keras: weights="imagenet".
   */
  weights?: string | null;
  /** A symbolic tensor (from `keras.Input` or layer calls) to use as the image input. */
  inputTensor?: KerasTensor | null;
  /**
   * The shape of one image, `[height, width, 3]`, only to be specified without the top (with it,
   * and ImageNet weights, it must be [224, 224, 3]); height and width at least 32.
   */
  inputShape?: readonly (number | null)[] | null;
  /**
   * Without the top: `null` (the 4D output of the last convolutional block), 'avg' (global average
   * pooling) or 'max' (global max pooling). Keras: pooling=None.
   */
  pooling?: 'avg' | 'max' | null;
  /** The number of classes, with the top and without ImageNet weights. Keras: classes=1000. */
  classes?: number;
  /** The activation of the top's last layer; `null` returns logits. Keras: classifier_activation="softmax". */
  classifierActivation?: ActivationIdentifier;
  /** The model's name (default: the architecture's, e.g. 'vgg16'). */
  name?: string;
}

/** The arguments an architecture's layers depend on, resolved to Keras's defaults. */
export interface TopOptions {
  includeTop: boolean;
  pooling: 'avg' | 'max' | null;
  classes: number;
  classifierActivation: ActivationIdentifier;
}

/** An architecture: its default input size, and its name and ImageNet weight files for an input shape. */
export interface ApplicationSpec {
  /** Keras's default_size: the image size of the weights with the top. */
  defaultSize: number;
  /**
   * The default model name and weight files for the input shape obtained; an architecture with
   * arguments of its own (MobileNetV2's alpha) checks them here, before any layer exists.
   */
  forShape(inputShape: readonly (number | null)[]): { name: string; weightsFile(includeTop: boolean): WeightsFile };
}

/** A weight file Keras publishes: its name in Keras's cache, its URL and md5 (null where Keras checks none). */
export interface WeightsFile {
  fileName: string;
  url: string;
  hash: string | null;
}

/**
 * The spec of VGG and ResNet: 224x224 images, the model named `name`, and Keras's files
 * `${name}_weights_tf_dim_ordering_tf_kernels[_notop].h5` in `folder`, with their md5s with the
 * top, then without.
 */
export function fixedSpec(name: string, folder: string, hashes: readonly [string, string]): ApplicationSpec {
  return {
    defaultSize: 224,
    forShape: () => ({
      name,
      weightsFile(includeTop) {
        const fileName = `${name}_weights_tf_dim_ordering_tf_kernels${includeTop ? '' : '_notop'}.h5`;
        return { fileName, url: folder + fileName, hash: hashes[includeTop ? 0 : 1] };
      },
    }),
  };
}

/**
 * Builds an application: checks `options` (Keras's errors, before any layer exists), makes the
 * image input, calls `body` to stack the layers on it, wraps them in a functional model and loads
 * the weights asked for.
 */
export async function buildApplication(spec: ApplicationSpec, options: ApplicationOptions,
  body: (input: KerasTensor, top: TopOptions) => KerasTensor): Promise<Model> {
  // 1. Check the arguments, in Keras's order and words.
  const weights = options.weights === undefined ? 'imagenet' : options.weights;
  const top: TopOptions = {
    includeTop: options.includeTop ?? true,
    pooling: options.pooling ?? null,
    classes: options.classes ?? 1000,
    classifierActivation: options.classifierActivation === undefined ? 'softmax' : options.classifierActivation,
  };
  if (!(weights === 'imagenet' || weights === null || (typeof weights === 'string' && existsSync(weights)))) {
    throw new Error('The `weights` argument should be either `None` (random initialization), \'imagenet\' (pre-training on ' +
      `ImageNet), or the path to the weights file to be loaded.  Received: weights=${String(weights)}`);
  }
  if (weights === 'imagenet' && top.includeTop && top.classes !== 1000) {
    throw new Error('If using `weights=\'imagenet\'` with `include_top=True`, `classes` should be 1000.  ' +
      `Received classes=${top.classes}`);
  }
  // Keras ignores any other pooling value; keras-ts refuses it rather than return the 4D output silently.
  if (top.pooling !== null && top.pooling !== 'avg' && top.pooling !== 'max') {
    throw new Error(`The \`pooling\` argument should be one of None, 'avg' or 'max'. Received: pooling=${String(top.pooling)}`);
  }
  const inputShape = obtainInputShape(options.inputShape, spec.defaultSize, 32, top.includeTop, weights);
  const resolved = spec.forShape(inputShape);
  if (top.includeTop) validateActivation(top.classifierActivation, weights);
  const { inputTensor } = options;
  if (inputTensor !== undefined && inputTensor !== null && !(inputTensor instanceof KerasTensor && inputTensor.history)) {
    throw new Error('The `input_tensor` argument should be a symbolic tensor (from keras.Input or a layer call). ' +
      `Received: ${String(inputTensor)}`);
  }

  // 2. The layers, on the given tensor or a new input.
  const imageInput = inputTensor ?? Input({ shape: inputShape });
  const output = body(imageInput, top);

  // 3. The model, from the sources of the input tensor so that its predecessors are included.
  const model = new Model({ inputs: sourceInputs(imageInput), outputs: output, name: options.name ?? resolved.name });

  // 4. The weights.
  if (weights === 'imagenet') {
    const { fileName, url, hash } = resolved.weightsFile(top.includeTop);
    const path = await fetchKerasFile(fileName, url, hash, `the ImageNet weights of ${resolved.name}`);
    await model.loadWeights(path);
  } else if (weights !== null) {
    await model.loadWeights(weights);
  }
  return model;
}

/** The input tensors `tensor` is computed from (Keras's operation_utils.get_source_inputs). */
function sourceInputs(tensor: KerasTensor): KerasTensor[] {
  const { node } = tensor.history!;
  if (node.inputs.length === 0) return [tensor];
  return [...new Set(node.inputs.flatMap(sourceInputs))];
}
