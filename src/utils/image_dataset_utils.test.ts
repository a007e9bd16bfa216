/** imageDatasetFromDirectory on folders of PNG, JPEG and GIF files written with sharp, and fit on one. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import sharp from 'sharp';
import type { Tensor } from '../backend/tensor.js';
import * as layers from '../layers/index.js';
import { Sequential } from '../models/sequential.js';
import { compileTrainer } from '../trainers/compile.js';
import { predict } from '../trainers/trainer.js';
import { imageDatasetFromDirectory, numpyShuffleOrder, type ImageDataset } from './image_dataset_utils.js';

// Each class's images share one grey level, so a pixel tells its class.
const CLASSES = { dogs: 200, cats: 100, birds: 20 };
const FILES_PER_CLASS = 4;

/** Writes <root>/<class>/<i>.(png|jpg|gif) of varying sizes, plus files and folders the loader must ignore. */
async function imageFolder(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'keras-ts-imgds-'));
  for (const [name, level] of Object.entries(CLASSES)) {
    for (let i = 0; i < FILES_PER_CLASS; i++) {
      const folder = i === 3 ? join(root, name, 'nested') : join(root, name);
      mkdirSync(folder, { recursive: true });
      const image = sharp({ create: { width: 10 + 3 * i, height: 8 + i, channels: 3, background: { r: level, g: level, b: level } } });
      const format = (['png', 'png', 'jpg', 'gif'] as const)[i];
      await (format === 'jpg' ? image.jpeg({ quality: 100 }) : format === 'gif' ? image.gif() : image.png())
        .toFile(join(folder, `${i}.${format}`));
    }
    writeFileSync(join(root, name, 'notes.txt'), 'not an image');
  }
  mkdirSync(join(root, '.cache'));
  await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).png().toFile(join(root, '.cache', 'x.png'));
  return root;
}

const root = await imageFolder();
const quiet = { verbose: false };

async function all(ds: ImageDataset): Promise<[Tensor, Tensor][]> {
  const out: [Tensor, Tensor][] = [];
  for await (const batch of ds) out.push(batch as [Tensor, Tensor]);
  return out;
}

test('classes are the sub-folders in alphanumeric order; labels per labelMode; images resized', async () => {
  const ds = imageDatasetFromDirectory(root, { ...quiet, shuffle: false, batchSize: 5, imageSize: [6, 7] });
  assert.deepEqual(ds.classNames, ['birds', 'cats', 'dogs']);
  assert.equal(ds.cardinality, 3);
  assert.deepEqual(ds.filePaths.slice(0, 4).map((p) => p.slice(root.length + 1)),
    ['birds/0.png', 'birds/1.png', 'birds/2.jpg', 'birds/nested/3.gif']);
  const batches = await all(ds);
  assert.deepEqual(batches.map(([x]) => x.shape), [[5, 6, 7, 3], [5, 6, 7, 3], [2, 6, 7, 3]]);
  assert.deepEqual(batches.flatMap(([, y]) => Array.from(y.dataSync())), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
  assert.equal(batches[0][1].dtype, 'int32');
  // Every pixel of an image is its class's grey level (JPEG within 1 of it).
  for (const [x, y] of batches) {
    const pixels = x.dataSync();
    const labels = y.dataSync();
    pixels.forEach((v, i) => assert.ok(Math.abs(v - Object.values(CLASSES).sort((a, b) => a - b)[labels[Math.floor(i / 126)]]) <= 1));
  }
  const [[, categorical]] = await all(imageDatasetFromDirectory(root, { ...quiet, shuffle: false, labelMode: 'categorical', imageSize: 4 }));
  assert.deepEqual([categorical.shape, categorical.dtype], [[12, 3], 'float32']);
  assert.deepEqual(Array.from(categorical.dataSync().subarray(12, 18)), [0, 1, 0, 0, 1, 0]);
  const binary = imageDatasetFromDirectory(root, { ...quiet, shuffle: false, labelMode: 'binary', classNames: ['dogs', 'cats'], imageSize: 4 });
  const [[, binaryLabels]] = await all(binary);
  assert.deepEqual([binary.classNames, binaryLabels.shape], [['dogs', 'cats'], [8, 1]]);
  assert.deepEqual(Array.from(binaryLabels.dataSync()), [0, 0, 0, 0, 1, 1, 1, 1]);
  const unlabelled = imageDatasetFromDirectory(root, { ...quiet, labelMode: null, imageSize: 4, batchSize: 100 });
  // Without labels Keras walks the whole tree, hidden folders included: 12 images and .cache/x.png.
  for await (const x of unlabelled) assert.deepEqual((x as Tensor).shape, [13, 4, 4, 3]);
  assert.equal(unlabelled.classNames, null);
});

test('colorMode gives 1, 3 or 4 channels', async () => {
  for (const [colorMode, channels] of [['grayscale', 1], ['rgb', 3], ['rgba', 4]] as const) {
    const [[x]] = await all(imageDatasetFromDirectory(root, { ...quiet, colorMode, imageSize: [3, 2], classNames: ['cats'], shuffle: false }));
    assert.deepEqual(x.shape, [4, 3, 2, channels]);
    assert.ok(x.dataSync().every((v, i) => (channels === 4 && i % 4 === 3 ? v === 255 : Math.abs(v - 100) <= 1)));
  }
});

test('validationSplit + subset + seed: NumPy\'s shuffle, Keras\'s counts, disjoint and reproducible', async () => {
  const options = { ...quiet, validationSplit: 0.25, seed: 1337, imageSize: 4 } as const;
  const [train, val] = imageDatasetFromDirectory(root, { ...options, subset: 'both' });
  assert.deepEqual([train.filePaths.length, val.filePaths.length], [9, 3]);
  const sorted = imageDatasetFromDirectory(root, { ...quiet, shuffle: false }).filePaths;
  // The same files, in the same order, as Keras's np.random.RandomState(1337).shuffle.
  assert.deepEqual([...train.filePaths, ...val.filePaths], Array.from(numpyShuffleOrder(12, 1337), (i) => sorted[i]));
  assert.deepEqual(Array.from(numpyShuffleOrder(10, 1337)), [6, 3, 0, 4, 5, 2, 1, 9, 8, 7]);
  assert.deepEqual(imageDatasetFromDirectory(root, { ...options, subset: 'training' }).filePaths, train.filePaths);
  assert.deepEqual(imageDatasetFromDirectory(root, { ...options, subset: 'validation' }).filePaths, val.filePaths);
  const labelsOf = async (ds: ImageDataset) => (await all(ds)).flatMap(([, y]) => Array.from(y.dataSync()));
  // The validation subset is never reshuffled; the training one is, the same way for the same seed.
  assert.deepEqual(await labelsOf(val), await labelsOf(val));
  const again = imageDatasetFromDirectory(root, { ...options, subset: 'training' });
  const passes = [await labelsOf(train), await labelsOf(train)];
  assert.deepEqual([await labelsOf(again), await labelsOf(again)], passes);
  assert.deepEqual([...passes[0]].sort(), [...passes[1]].sort());
});

test('bad arguments fail in Keras\'s words before anything is read; an unreadable image is named', async () => {
  const cases: [object, RegExp][] = [
    [{ validationSplit: 0.2, seed: 1 }, /If `subset` is set, `validation_split` must be set, and inversely./],
    [{ subset: 'training' }, /If `subset` is set, `validation_split` must be set, and inversely./],
    [{ validationSplit: 0.2, subset: 'training' }, /If using `validation_split` and shuffling the data, you must provide a `seed` argument/],
    [{ validationSplit: 1.5, subset: 'training', seed: 1 }, /`validation_split` must be between 0 and 1, received: 1.5/],
    [{ labelMode: 'sparse' }, /`label_mode` argument must be one of "int", "categorical", "binary", or None. Received: label_mode=sparse/],
    [{ colorMode: 'bgr' }, /`color_mode` must be one of \{"rgb", "rgba", "grayscale"\}. Received: color_mode=bgr/],
    [{ imageSize: [1, 2, 3] }, /Invalid `image_size` value. Expected a tuple of 2 integers/],
    [{ interpolation: 'cubic' }, /Argument `interpolation` should be one of \('bilinear', 'nearest', 'bicubic'/],
    [{ labelMode: 'binary' }, /When passing `label_mode="binary"`, there must be exactly 2 class_names. Received: class_names=\["birds","cats","dogs"\]/],
    [{ classNames: ['cats', 'cows'] }, /The `class_names` passed did not match the names of the subdirectories of the target directory. Expected: \['birds', 'cats', 'dogs'\]/],
  ];
  for (const [options, message] of cases) assert.throws(() => imageDatasetFromDirectory(root, { ...quiet, ...options }), message);
  const empty = mkdtempSync(join(tmpdir(), 'keras-ts-imgds-empty-'));
  assert.throws(() => imageDatasetFromDirectory(empty, quiet),
    new RegExp(`No images found in directory ${empty}. Allowed formats: \\('.bmp', '.gif', '.jpeg', '.jpg', '.png'\\)`));
  const broken = mkdtempSync(join(tmpdir(), 'keras-ts-imgds-broken-'));
  mkdirSync(join(broken, 'cats'));
  await sharp({ create: { width: 5, height: 5, channels: 3, background: '#888' } }).png().toFile(join(broken, 'cats', 'a.png'));
  const corrupt = join(broken, 'cats', 'b.png');
  writeFileSync(corrupt, 'this is not a PNG');
  await assert.rejects(all(imageDatasetFromDirectory(broken, { ...quiet, imageSize: 4 })),
    (e: Error) => e.message.startsWith(`Could not read the image file ${corrupt}:`));
});

test('fit, evaluate and predict take datasets from a folder; History has Keras\'s keys', async () => {
  const [train, val] = imageDatasetFromDirectory(root, {
    ...quiet, validationSplit: 0.25, subset: 'both', seed: 7, imageSize: [8, 8], batchSize: 4, labelMode: 'categorical',
  });
  const model = new Sequential([
    new layers.Rescaling(1 / 255, { inputShape: [8, 8, 3] }),
    new layers.Conv2D(2, 3, { activation: 'relu' }),
    new layers.Flatten(),
    new layers.Dense(3, { activation: 'softmax' }),
  ]);
  const trainer = compileTrainer(model, { optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const history = await trainer.fit(train, { epochs: 1, validationData: val, verbose: 0 });
  assert.deepEqual(Object.keys(history.history).sort(), ['accuracy', 'loss', 'val_accuracy', 'val_loss']);
  const [loss, accuracy] = (await trainer.evaluate(val, { verbose: 0 })) as number[];
  assert.ok(Math.abs(loss - history.history.val_loss[0]) < 1e-6 && accuracy >= 0 && accuracy <= 1);
  assert.deepEqual((await predict(model, val, { verbose: 0 })).shape, [val.filePaths.length, 3]);
  await assert.rejects(trainer.fit(train, { validationSplit: 0.2, verbose: 0 }),
    /`validationSplit` is only supported for Tensors or NumPy arrays, found following types in the input: \[ImageDataset\]/);
  await assert.rejects(trainer.fit(train, [1, 2, 3], { verbose: 0 }),
    /When providing `x` as a Dataset, `y` should not be passed. Instead, the targets should be included as part of the Dataset./);
});
