/**
 * `imageDatasetFromDirectory`: a Dataset of image batches, labelled by sub-folder. Mirrors
 * keras/src/utils/image_dataset_utils.py and the parts of dataset_utils.py it uses (index_directory,
 * check_validation_split_arg, get_training_or_validation_split).
 */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { Tensor } from '../backend/tensor.js';
import { mulberry32 } from '../random/mulberry32.js';
import { drawSeed } from '../random/seed_generator.js';
import { permutation, type Dataset } from '../trainers/data.js';
import { colorModeChannels, readImage, resizeImage, type ColorMode, type ResizeInterpolation } from './image_utils.js';

export type LabelMode = 'int' | 'categorical' | 'binary' | null;

export interface ImageDatasetOptions {
  /** 'inferred' (from the sub-folders, the default), null (no labels), or one integer per file in path order. */
  labels?: 'inferred' | null | number[];
  /** Keras default 'int'. */
  labelMode?: LabelMode;
  /** The sub-folders to read, in label order (default: all, in alphanumeric order). */
  classNames?: string[] | null;
  /** Keras default 'rgb'. */
  colorMode?: ColorMode;
  /** Keras default 32. */
  batchSize?: number;
  /** `[height, width]` (or one number for both) every image is resized to; Keras default [256, 256]. */
  imageSize?: number | [number, number];
  /** Keras default true; false keeps the files in alphanumeric order. */
  shuffle?: boolean;
  seed?: number;
  validationSplit?: number | null;
  subset?: 'training' | 'validation' | 'both' | null;
  /** Keras default 'bilinear'. */
  interpolation?: string;
  /** Descend into symlinked folders (Keras default false). */
  followLinks?: boolean;
  /** Resize the largest centred crop with the target's aspect ratio, not the whole image (Keras default false). */
  cropToAspectRatio?: boolean;
  /** Print how many files and classes were found (Keras default true). */
  verbose?: boolean;
}

// Keras: image_dataset_utils.py ALLOWLIST_FORMATS
const ALLOWLIST_FORMATS = ['.bmp', '.gif', '.jpeg', '.jpg', '.png'];
// Keras: image_dataset_utils.py supported_interpolations; keras-ts implements the first two.
const KERAS_INTERPOLATIONS = ['bilinear', 'nearest', 'bicubic', 'area', 'lanczos3', 'lanczos5', 'gaussian', 'mitchellcubic'];

/** The settings every batch is decoded with. */
interface Decoding {
  imageSize: [number, number];
  channels: 1 | 3 | 4;
  interpolation: ResizeInterpolation;
  crop: boolean;
  labelMode: LabelMode;
  numClasses: number;
}

/**
 * Batches of images read from a folder, and their labels: what `imageDatasetFromDirectory` returns.
 * Each pass (`for await (const [images, labels] of dataset)`) reads the files again, decoding the next
 * batch while the current one is in use; a training dataset with `shuffle` takes a new order per pass.
 */
export class ImageDataset implements Dataset {
  /** Batches per pass (Keras's `dataset.cardinality()`). */
  readonly cardinality: number;
  private readonly nextOrder: (() => number) | null;

  constructor(
    /** The class of each label index, or null without labels. */
    readonly classNames: string[] | null,
    /** Every image file, in the order of the first pass. */
    readonly filePaths: string[],
    private readonly labels: Int32Array | null,
    readonly batchSize: number,
    private readonly decoding: Decoding,
    shuffleSeed: number | null,
  ) {
    this.cardinality = Math.ceil(filePaths.length / batchSize);
    this.nextOrder = shuffleSeed === null ? null : mulberry32(shuffleSeed);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Tensor | [Tensor, Tensor]> {
    const order = this.nextOrder ? permutation(this.filePaths.length, this.nextOrder) : null;
    const batch = (step: number) => {
      const indices = Array.from({ length: Math.min(this.batchSize, this.filePaths.length - step * this.batchSize) },
        (_, i) => (order ? order[step * this.batchSize + i] : step * this.batchSize + i));
      const loading = this.load(indices);
      loading.catch(() => undefined);  // awaited below; a pass abandoned early must not leave an unhandled rejection
      return loading;
    };
    let next = batch(0);
    for (let step = 0; step < this.cardinality; step++) {
      const current = await next;
      if (step + 1 < this.cardinality) next = batch(step + 1);
      yield current;
    }
  }

  private async load(indices: number[]): Promise<Tensor | [Tensor, Tensor]> {
    const { imageSize: [height, width], channels, interpolation, crop, labelMode, numClasses } = this.decoding;
    const images = await Promise.all(indices.map(async (index) => {
      const img = await readImage(this.filePaths[index], channels);
      return resizeImage(Float32Array.from(img.data), [img.height, img.width, channels], [height, width], interpolation, crop);
    }));
    const x = new Float32Array(indices.length * height * width * channels);
    images.forEach((image, i) => x.set(image, i * image.length));
    const xTensor = new Tensor(x, [indices.length, height, width, channels], 'float32');
    if (!labelMode || !this.labels) return xTensor;
    const labels = indices.map((index) => this.labels![index]);
    if (labelMode === 'int') return [xTensor, new Tensor(Int32Array.from(labels), [labels.length], 'int32')];
    if (labelMode === 'binary') return [xTensor, new Tensor(Float32Array.from(labels), [labels.length, 1], 'float32')];
    const oneHot = new Float32Array(labels.length * numClasses);
    labels.forEach((label, i) => { oneHot[i * numClasses + label] = 1; });
    return [xTensor, new Tensor(oneHot, [labels.length, numClasses], 'float32')];
  }
}

/**
 * Generates a dataset of image batches from the image files in a directory.
 *
 * With `labels: 'inferred'`, each sub-folder of `directory` is a class: the classes are the
 * sub-folders in alphanumeric order (or `classNames`' order) and their images, found in any depth
 * of sub-folders, get the class's index as label. Supported formats: .jpeg, .jpg, .png, .bmp and
 * .gif (the first frame). Each image is decoded to `colorMode`'s 1, 3 or 4 channels and resized to
 * `imageSize` as Keras resizes (tf.image.resize); pixel values stay in [0, 255] as float32.
 *
 * The files are shuffled once (with NumPy's RandomState(seed), as Keras does, so a seed selects the
 * same files for training and validation as in Keras) before `validationSplit` holds out the last
 * fraction; a training dataset is reshuffled on every pass, the validation one never.
 *
 * Args:
 *   directory: the folder holding the images (in one sub-folder per class when labels are inferred).
 *   options: `labels`, `labelMode`, `classNames`, `colorMode`, `batchSize`, `imageSize`, `shuffle`,
 *     `seed`, `validationSplit`, `subset`, `interpolation`, `followLinks`, `cropToAspectRatio`,
 *     `verbose`, as Keras's arguments of the same names.
 *
 * Returns:
 *   An `ImageDataset` yielding `[images, labels]` batches: images of shape `[batch, height, width,
 *   channels]`; labels int32 `[batch]` ('int'), float32 one-hot `[batch, numClasses]` ('categorical')
 *   or float32 `[batch, 1]` ('binary'); only images when `labelMode` is null. With `subset: 'both'`,
 *   the training and the validation datasets.
 *
 * Example:
 * ```ts
 * const [train, val] = keras.utils.imageDatasetFromDirectory('flower_photos', {
 *   validationSplit: 0.2, subset: 'both', seed: 1337, imageSize: [180, 180], batchSize: 64});
 * train.classNames;  // ['daisy', 'dandelion', 'roses', 'sunflowers', 'tulips']
 * await model.fit(train, {epochs: 10, validationData: val});
 * ```
 */
export function imageDatasetFromDirectory(directory: string, options: ImageDatasetOptions & { subset: 'both' }):
  [ImageDataset, ImageDataset];
export function imageDatasetFromDirectory(directory: string, options?: ImageDatasetOptions): ImageDataset;
export function imageDatasetFromDirectory(directory: string, options: ImageDatasetOptions = {}):
  ImageDataset | [ImageDataset, ImageDataset] {
  // 1. The arguments, checked in Keras's order and words, before any file is read.
  const { classNames = null, batchSize = 32, shuffle = true, validationSplit = null, subset = null } = options;
  let { labels = 'inferred', labelMode = 'int' } = options;
  if (labels !== 'inferred' && labels !== null) {
    if (!Array.isArray(labels)) {
      throw new Error('`labels` argument should be a list/tuple of integer labels, of the same size as the number of ' +
        'image files in the target directory. If you wish to infer the labels from the subdirectory names in the ' +
        'target directory, pass `labels="inferred"`. If you wish to get a dataset that only contains images (no ' +
        `labels), pass \`labels=None\`. Received: labels=${labels}`);
    }
    if (classNames?.length) {
      throw new Error('You can only pass `class_names` if `labels="inferred"`. ' +
        `Received: labels=${JSON.stringify(labels)}, and class_names=${JSON.stringify(classNames)}`);
    }
  }
  if (!['int', 'categorical', 'binary', null].includes(labelMode)) {
    throw new Error(`\`label_mode\` argument must be one of "int", "categorical", "binary", or None. Received: label_mode=${labelMode}`);
  }
  if (labels === null || labelMode === null) [labels, labelMode] = [null, null];
  const channels = colorModeChannels(options.colorMode ?? 'rgb');
  const imageSize = checkImageSize(options.imageSize ?? [256, 256]);
  const interpolation = checkInterpolation(options.interpolation ?? 'bilinear');
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, received ${batchSize}`);
  checkValidationSplitArg(validationSplit, subset, shuffle, options.seed);
  const seed = options.seed === undefined ? drawSeed('imageDatasetFromDirectory') : checkSeed(options.seed);

  // 2. The files and their labels, shuffled once.
  const index = indexDirectory(directory, labels, classNames, options.followLinks ?? false, options.verbose ?? true);
  if (labelMode === 'binary' && index.classNames?.length !== 2) {
    throw new Error('When passing `label_mode="binary"`, there must be exactly 2 class_names. ' +
      `Received: class_names=${JSON.stringify(index.classNames)}`);
  }
  if (shuffle) {
    const order = numpyShuffleOrder(index.paths.length, seed);
    index.paths = Array.from(order, (i) => index.paths[i]);
    index.labels = index.labels && Int32Array.from(order, (i) => index.labels![i]);
  }

  // 3. The subsets.
  const decoding: Decoding = {
    imageSize, channels, interpolation, crop: options.cropToAspectRatio ?? false, labelMode,
    numClasses: index.classNames?.length ?? 0,
  };
  const make = (which: 'training' | 'validation' | null, noneFound: string) => {
    const [paths, subsetLabels] = trainingOrValidationSplit(index.paths, index.labels, validationSplit, which,
      options.verbose ?? true);
    if (paths.length === 0) {
      throw new Error(`${noneFound} in directory ${directory}. Allowed formats: ${pythonTuple(ALLOWLIST_FORMATS)}`);
    }
    const reshuffle = shuffle && which !== 'validation' ? seed : null;
    return new ImageDataset(index.classNames, paths, subsetLabels, batchSize, decoding, reshuffle);
  };
  if (subset === 'both') return [make('training', 'No training images found'), make('validation', 'No validation images found')];
  return make(subset, 'No images found');
}

function checkImageSize(size: number | [number, number]): [number, number] {
  const pair = typeof size === 'number' ? [size, size] : size;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((n) => Number.isInteger(n) && n > 0)) {
    throw new Error(`Invalid \`image_size\` value. Expected a tuple of 2 integers. Received: image_size=${JSON.stringify(size)}`);
  }
  return [pair[0], pair[1]];
}

function checkInterpolation(name: string): ResizeInterpolation {
  const interpolation = name.toLowerCase();
  if (!KERAS_INTERPOLATIONS.includes(interpolation)) {
    throw new Error(`Argument \`interpolation\` should be one of ${pythonTuple(KERAS_INTERPOLATIONS)}. ` +
      `Received: interpolation=${interpolation}`);
  }
  if (interpolation !== 'bilinear' && interpolation !== 'nearest') {
    throw new Error(`imageDatasetFromDirectory: keras-ts resizes with 'bilinear' or 'nearest', received interpolation=${interpolation}`);
  }
  return interpolation;
}

function checkSeed(seed: number): number {
  // NumPy's RandomState takes seeds in [0, 2**32).
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`Seed must be between 0 and 2**32 - 1, received ${seed}`);
  return seed;
}

/** Keras: dataset_utils.py check_validation_split_arg. */
function checkValidationSplitArg(validationSplit: number | null, subset: string | null, shuffle: boolean,
  seed: number | undefined): void {
  if (validationSplit && !(validationSplit > 0 && validationSplit < 1)) {
    throw new Error(`\`validation_split\` must be between 0 and 1, received: ${validationSplit}`);
  }
  if ((validationSplit || subset) && !(validationSplit && subset)) {
    throw new Error('If `subset` is set, `validation_split` must be set, and inversely.');
  }
  if (![null, 'training', 'validation', 'both'].includes(subset)) {
    throw new Error(`\`subset\` must be either "training", "validation" or "both", received: ${subset}`);
  }
  if (validationSplit && shuffle && seed === undefined) {
    throw new Error('If using `validation_split` and shuffling the data, you must provide a `seed` argument, to make ' +
      'sure that there is no overlap between the training and validation subset.');
  }
}

interface DirectoryIndex {
  paths: string[];
  labels: Int32Array | null;
  classNames: string[] | null;
}

/** Keras: dataset_utils.py index_directory: the files of each class folder in alphanumeric order, labelled. */
function indexDirectory(directory: string, labels: 'inferred' | null | number[], classNames: string[] | null,
  followLinks: boolean, verbose: boolean): DirectoryIndex {
  let subdirs = [''];
  if (labels === 'inferred') {
    subdirs = entries(directory).filter((e) => isDirectory(directory, e) && !e.name.startsWith('.')).map((e) => e.name).sort();
    if (classNames) {
      if (!classNames.every((name) => subdirs.includes(name))) {
        throw new Error('The `class_names` passed did not match the names of the subdirectories of the target directory. ' +
          `Expected: ${pythonList(subdirs)} (or a subset of it), but received: class_names=${pythonList(classNames)}`);
      }
      subdirs = classNames;
    }
  } else if (classNames) {
    throw new Error(labels === null ? 'When `labels=None` (no labels), argument `class_names` cannot be specified.'
      : 'When argument `labels` is specified, argument `class_names` cannot be specified (the `class_names` will be ' +
        'the sorted list of labels).');
  }
  const paths: string[] = [];
  const inferred: number[] = [];
  subdirs.forEach((subdir, label) => {
    const found = imageFiles(join(directory, subdir), followLinks);
    paths.push(...found);
    inferred.push(...found.map(() => label));
  });
  let index: DirectoryIndex = { paths, labels: Int32Array.from(inferred), classNames: subdirs };
  if (labels === null) index = { paths, labels: null, classNames: null };
  else if (Array.isArray(labels)) {
    if (labels.length !== paths.length) {
      throw new Error(`Expected the lengths of \`labels\` to match the number of files in the target directory. ` +
        `len(labels) is ${labels.length} while we found ${paths.length} files in directory ${directory}.`);
    }
    index = { paths, labels: Int32Array.from(labels), classNames: [...new Set(labels)].sort((a, b) => a - b).map(String) };
  }
  if (verbose) {
    console.log(index.classNames ? `Found ${paths.length} files belonging to ${index.classNames.length} classes.`
      : `Found ${paths.length} files.`);
  }
  return index;
}

/** Image files under `root`, as Keras's iter_valid_files lists them: folders by path, then files by name. */
function imageFiles(root: string, followLinks: boolean): string[] {
  const folders: [string, string[]][] = [];
  const walk = (dir: string) => {
    const files: string[] = [];
    folders.push([dir, files]);
    for (const entry of entries(dir)) {
      const folder = entry.isDirectory() || (followLinks && entry.isSymbolicLink() && isDirectory(dir, entry));
      if (folder) walk(join(dir, entry.name));
      else if (ALLOWLIST_FORMATS.some((ext) => entry.name.toLowerCase().endsWith(ext))) files.push(entry.name);
    }
  };
  walk(root);
  folders.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return folders.flatMap(([dir, files]) => files.sort().map((name) => join(dir, name)));
}

function entries(dir: string): Dirent[] {
  return readdirSync(dir, { withFileTypes: true });
}

function isDirectory(dir: string, entry: Dirent): boolean {
  return entry.isDirectory() || (entry.isSymbolicLink() && statSync(join(dir, entry.name), { throwIfNoEntry: false })?.isDirectory() === true);
}

/** Keras: dataset_utils.py get_training_or_validation_split: the validation subset is the last files. */
function trainingOrValidationSplit(paths: string[], labels: Int32Array | null, validationSplit: number | null,
  subset: 'training' | 'validation' | null, verbose: boolean): [string[], Int32Array | null] {
  if (!validationSplit || !subset) return [paths, labels];
  const numVal = Math.trunc(validationSplit * paths.length);
  const [start, end] = subset === 'training' ? [0, paths.length - numVal] : [paths.length - numVal, paths.length];
  if (verbose) console.log(`Using ${end - start} files for ${subset}.`);
  return [paths.slice(start, end), labels && labels.slice(start, end)];
}

/**
 * The order NumPy's `np.random.RandomState(seed).shuffle` puts n items in (MT19937 with NumPy's
 * legacy seeding, Fisher-Yates from the end with masked rejection sampling), as Keras's
 * index_directory shuffles the file list.
 */
export function numpyShuffleOrder(n: number, seed: number): Int32Array {
  const state = new Uint32Array(624);
  state[0] = seed >>> 0;
  for (let i = 1; i < 624; i++) state[i] = (Math.imul(1812433253, state[i - 1] ^ (state[i - 1] >>> 30)) + i) >>> 0;
  let position = 624;
  const nextUint32 = () => {
    if (position === 624) {
      for (let i = 0; i < 624; i++) {
        const y = (state[i] & 0x80000000) | (state[(i + 1) % 624] & 0x7fffffff);
        state[i] = state[(i + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      position = 0;
    }
    let y = state[position++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    return (y ^ (y >>> 18)) >>> 0;
  };
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const mask = 2 ** Math.ceil(Math.log2(i + 1)) - 1;
    let j: number;
    do j = (nextUint32() & mask) >>> 0; while (j > i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** A list as Python prints it: ['a', 'b']. */
function pythonList(items: string[]): string {
  return `[${items.map((s) => `'${s}'`).join(', ')}]`;
}

/** A tuple as Python prints it: ('a', 'b'). */
function pythonTuple(items: string[]): string {
  return `(${items.map((s) => `'${s}'`).join(', ')})`;
}
