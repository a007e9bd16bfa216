/**
 * What the ImageNet applications share: input preprocessing, decoding predictions into ImageNet
 * class names, and the checks of their input shape and classifier activation. Mirrors
 * keras/src/applications/imagenet_utils.py.
 */
import { readFile } from 'node:fs/promises';
import * as activations from '../activations/index.js';
import { formatShape, type Tensor } from '../backend/tensor.js';
import { cast, convertToTensor, reshape, type TensorLike } from '../ops/core.js';
import { add, concatenate, divide, slice, subtract } from '../ops/numpy.js';
import { cachePaths, getFile } from '../utils/file_utils.js';

/** Where Keras downloads the ImageNet class index from, and its md5 (imagenet_utils.py). */
const CLASS_INDEX_PATH = 'https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json';
const CLASS_INDEX_HASH = 'c2c37ea517e94d9795004a39431a14cb';

/** `{"0": ["n01440764", "tench"], ...}`: each class's WordNet id and name, by index. */
export type ClassIndex = Record<string, [string, string]>;

/** Keras's global CLASS_INDEX: read once per process. */
let classIndex: ClassIndex | null = null;

export type PreprocessMode = 'caffe' | 'tf' | 'torch';

export interface PreprocessOptions {
  /** Where the channels are. Keras: data_format=None, i.e. 'channels_last'. */
  dataFormat?: 'channels_last' | 'channels_first' | null;
  /** 'caffe' (the default), 'tf' or 'torch'. */
  mode?: PreprocessMode;
}

// Keras: the ImageNet channel means (BGR for caffe, RGB for torch) and torch's standard deviations.
const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68];
const TORCH_MEAN = [0.485, 0.456, 0.406];
const TORCH_STD = [0.229, 0.224, 0.225];

/**
 * Preprocesses a batch of images (or one image) with values in [0, 255], 3D or 4D with 3 color
 * channels, for an ImageNet model (keras.applications.imagenet_utils.preprocess_input).
 *
 * Args:
 *   x: the images; integer dtypes are converted to float32.
 *   options: `dataFormat` and `mode`:
 *     - caffe: converts the images from RGB to BGR, then zero-centers each color channel with
 *       respect to the ImageNet dataset, without scaling;
 *     - tf: scales pixels between -1 and 1, sample-wise;
 *     - torch: scales pixels between 0 and 1, then normalizes each channel with respect to the
 *       ImageNet dataset.
 *
 * Returns:
 *   The preprocessed float32 tensor (a new tensor: `x` is not changed).
 *
 * Example:
 *   const x = keras.applications.imagenetUtils.preprocessInput(keras.ops.full([1, 224, 224, 3], 255));
 *   // x[..., 0] is 255 - 103.939: the blue channel, centered
 */
export function preprocessInput(x: TensorLike, options: PreprocessOptions = {}): Tensor {
  const mode = options.mode ?? 'caffe';
  if (!['caffe', 'tf', 'torch'].includes(mode)) {
    throw new Error(`Expected mode to be one of \`caffe\`, \`tf\` or \`torch\`. Received: mode=${mode}`);
  }
  const dataFormat = options.dataFormat ?? 'channels_last';
  if (dataFormat !== 'channels_first' && dataFormat !== 'channels_last') {
    throw new Error('Expected data_format to be one of `channels_first` or `channels_last`. ' +
      `Received: data_format=${dataFormat}`);
  }
  let images = cast(convertToTensor(x), 'float32');
  if (mode === 'tf') return subtract(divide(images, 127.5), 1);
  // Keras: with channels_first, the channel axis is 0 for one image and 1 for a batch.
  const axis = dataFormat === 'channels_last' ? images.rank - 1 : images.rank === 3 ? 0 : 1;
  const perChannel = (values: number[]): Tensor =>
    reshape(convertToTensor(values), images.shape.map((_, i) => (i === axis ? 3 : 1)));
  if (mode === 'torch') return divide(subtract(divide(images, 255), perChannel(TORCH_MEAN)), perChannel(TORCH_STD));
  // caffe: 'RGB'->'BGR' keeps channels 2, 1, 0 (as Keras's stack does).
  const channel = (c: number): Tensor =>
    slice(images, images.shape.map((_, i) => (i === axis ? c : 0)), images.shape.map((d, i) => (i === axis ? 1 : d)));
  images = concatenate([channel(2), channel(1), channel(0)], axis);
  return add(images, perChannel(CAFFE_MEAN_BGR.map((m) => -m)));
}

/**
 * Preprocesses images for VGG16, VGG19 and ResNet50 (their `preprocess_input`): 'caffe' mode,
 * converting RGB to BGR then zero-centering each color channel with respect to ImageNet, without
 * scaling.
 *
 * Example: `model.predict(keras.applications.vgg16.preprocessInput(images))`
 */
export function caffePreprocessInput(x: TensorLike, options: Omit<PreprocessOptions, 'mode'> = {}): Tensor {
  return preprocessInput(x, { ...options, mode: 'caffe' });
}

export interface DecodePredictionsOptions {
  /**
   * The class index to use instead of Keras's `imagenet_class_index.json` (an object, or the path
   * of a file in that format), e.g. where there is no network.
   */
  classIndex?: ClassIndex | string;
}

/**
 * Decodes the predictions of an ImageNet model (keras.applications.imagenet_utils.decode_predictions).
 *
 * The class names come from Keras's `imagenet_class_index.json`, found in Keras's cache
 * (`~/.keras/models` or `$KERAS_HOME/models`) or downloaded there as Keras does, hash checked.
 *
 * Args:
 *   preds: a batch of predictions, of shape `(samples, 1000)`.
 *   top: how many top guesses to return. Keras: top=5.
 *   options: `classIndex`, to use another class index.
 *
 * Returns:
 *   One list per sample of `[className, classDescription, score]`, the highest score first.
 *
 * Example:
 *   const preds = model.predict(keras.applications.vgg16.preprocessInput(images));
 *   const [[wnid, name, score]] = await keras.applications.vgg16.decodePredictions(preds, 1);
 */
export async function decodePredictions(preds: TensorLike, top = 5, options: DecodePredictionsOptions = {}):
  Promise<[string, string, number][][]> {
  const p = convertToTensor(preds);
  if (p.rank !== 2 || p.shape[1] !== 1000) {
    throw new Error('`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape (samples, 1000)). ' +
      `Received array with shape: ${formatShape(p.shape)}`);
  }
  const index = await resolveClassIndex(options.classIndex);
  const rows = p.toArray() as number[][];
  return rows.map((row) => row.map((score, i) => [i, score] as const)
    .sort((a, b) => b[1] - a[1] || b[0] - a[0])
    .slice(0, top)
    .map(([i, score]) => {
      const entry = index[String(i)];
      if (!entry) throw new Error(`decodePredictions: the class index has no entry "${i}"`);
      return [entry[0], entry[1], score];
    }));
}

async function resolveClassIndex(given: ClassIndex | string | undefined): Promise<ClassIndex> {
  if (typeof given === 'object') return given;
  if (typeof given === 'string') return JSON.parse(await readFile(given, 'utf8')) as ClassIndex;
  classIndex ??= JSON.parse(await readFile(await fetchKerasFile('imagenet_class_index.json', CLASS_INDEX_PATH,
    CLASS_INDEX_HASH, 'the ImageNet class index'), 'utf8')) as ClassIndex;
  return classIndex;
}

/**
 * A file Keras keeps in its cache's `models` folder: found there, or downloaded from `origin` with
 * its md5 checked (when Keras gives one); when neither works, the error says which file to put where.
 */
export async function fetchKerasFile(fileName: string, origin: string, fileHash: string | null, what: string): Promise<string> {
  try {
    return await getFile(fileName, origin, { cacheSubdir: 'models', fileHash: fileHash ?? undefined });
  } catch (e) {
    const target = cachePaths(fileName, { cacheSubdir: 'models' }).downloadTarget;
    throw new Error(`Could not get ${what}: ${(e as Error).message}\n` +
      `Put Keras's file ${fileName} (from ${origin}${fileHash ? `, md5 ${fileHash}` : ''}) at ${target}.`, { cause: e });
  }
}

/**
 * Computes or validates an application's input shape (Keras's obtain_input_shape), for
 * channels_last images.
 *
 * Args:
 *   inputShape: null (the default shape), or the shape to validate.
 *   defaultSize: the model's default width and height.
 *   minSize: the smallest width and height it accepts.
 *   requireFlatten: whether a Flatten top follows (then the shape must be static).
 *   weights: 'imagenet', null or a path; with 'imagenet' the input must have 3 channels.
 */
export function obtainInputShape(inputShape: readonly (number | null)[] | null | undefined, defaultSize: number, minSize: number,
  requireFlatten: boolean, weights: string | null): (number | null)[] {
  const given = inputShape && inputShape.length > 0 ? [...inputShape] : null;
  if (weights !== 'imagenet' && given?.length === 3 && given[2] !== 1 && given[2] !== 3) {
    console.warn('This model usually expects 1 or 3 input channels. ' +
      `However, it was passed an input_shape with ${given[2]} input channels.`);
  }
  const defaultShape = [defaultSize, defaultSize, weights !== 'imagenet' && given?.length === 3 ? given[2] : 3];
  if (weights === 'imagenet' && requireFlatten) {
    if (given && !sameShape(given, defaultShape)) {
      throw new Error('When setting `include_top=True` and loading `imagenet` weights, ' +
        `\`input_shape\` should be ${formatShape(defaultShape)}.  Received: input_shape=${formatShape(given)}`);
    }
    return defaultShape;
  }
  let shape: (number | null)[];
  if (given) {
    if (given.length !== 3) throw new Error('`input_shape` must be a tuple of three integers.');
    if (given[2] !== 3 && weights === 'imagenet') {
      throw new Error(`The input must have 3 channels; Received \`input_shape=${formatShape(given)}\``);
    }
    if ((given[0] !== null && given[0] < minSize) || (given[1] !== null && given[1] < minSize)) {
      throw new Error(`Input size must be at least ${minSize}x${minSize}; Received: input_shape=${formatShape(given)}`);
    }
    shape = given;
  } else {
    shape = requireFlatten ? defaultShape : [null, null, 3];
  }
  if (requireFlatten && shape.includes(null)) {
    throw new Error('If `include_top` is True, you should specify a static `input_shape`. ' +
      `Received: input_shape=${formatShape(shape)}`);
  }
  return shape;
}

/**
 * The ZeroPadding2D amounts ((top, bottom), (left, right)) that make a stride-2 'valid' window of
 * `kernelSize` behave as 'same' on NHWC `inputShape` with the padding on both sides (Keras's
 * correct_pad): one pixel less at the top/left of an even size, so no pixel is left unread.
 */
export function correctPad(inputShape: readonly (number | null)[], kernelSize: number): [[number, number], [number, number]] {
  const [rows, cols] = inputShape.slice(1, 3);
  // Keras: an unknown height counts as even for both axes.
  const adjust = rows === null ? [1, 1] : [1 - (rows % 2), 1 - ((cols ?? 0) % 2)];
  const correct = Math.floor(kernelSize / 2);
  return [[correct - adjust[0], correct], [correct - adjust[1], correct]];
}

/** Keras's validate_activation: with pretrained weights, the classifier is softmax or linear. */
export function validateActivation(classifierActivation: activations.ActivationIdentifier, weights: string | null): void {
  if (weights === null) return;
  const fn = activations.get(classifierActivation);
  if (fn !== activations.get('softmax') && fn !== activations.get(null)) {
    throw new Error('Only `None` and `softmax` activations are allowed for the `classifier_activation` argument when using ' +
      `pretrained weights, with \`include_top=True\`; Received: classifier_activation=${String(classifierActivation)}`);
  }
}

function sameShape(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
