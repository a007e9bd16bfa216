/**
 * Tutorial 001, last part: transfer learning. VGG16's convolutional base, frozen, with a new
 * classifier on top, trained on a folder of images (one sub-folder per class).
 *
 *   npm run example -- transfer_learning [--data DIR] [--image-size N] [--epochs N] [--out DIR]
 *
 * Without `--data` it makes a folder of MNIST digits (100 per class, PNG) in
 * `<out>/digits/<class>/` and trains at 32x32 (VGG16's smallest input); with `--data` the default
 * size is the tutorial's 224. The ImageNet weights come from Keras's cache
 * (`~/.keras/models/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5`, or under `$KERAS_HOME`);
 * when they are not there, the example says so and continues with randomly initialized weights.
 *
 * The Python of the tutorial sits beside each block as comments.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import * as keras from 'keras-ts';
import { exampleOptions, positiveInteger } from './cli.js';

const { layers } = keras;
const DIGITS_PER_CLASS = 100;

const { epochs, out, extra: args } = exampleOptions('transfer_learning', 10, ['data', 'image-size']);
const imageSize = positiveInteger('--image-size', args['image-size'] ?? (args.data ? '224' : '32'));
const dataDir = args.data ?? (await writeDigits(join(out, 'digits')));

// from keras.applications import VGG16
// from keras.layers import Dense, GlobalAveragePooling2D
// from keras.models import Model
// from keras.utils import image_dataset_from_directory

// # the images: one sub-folder per class, 80 % for training and 20 % for validation
// train_generator, validation_generator = image_dataset_from_directory(
//     data_dir, validation_split=0.2, subset='both', seed=123,
//     image_size=(224, 224), batch_size=32, label_mode='categorical')
// num_classes = len(train_generator.class_names)
const [trainGenerator, validationGenerator] = keras.utils.imageDatasetFromDirectory(dataDir, {
  validationSplit: 0.2, subset: 'both', seed: 123, imageSize: [imageSize, imageSize], batchSize: 32, labelMode: 'categorical',
});
const numClasses = trainGenerator.classNames!.length;

// # load the pre-trained model without its classifier
// base_model = VGG16(weights='imagenet', include_top=False, input_shape=(224, 224, 3))
const weightsFile = join(process.env.KERAS_HOME ?? join(homedir(), '.keras'), 'models',
  'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5');
const weights = existsSync(weightsFile) ? 'imagenet' : null;
if (!weights) {
  console.log(`ImageNet weights not found in Keras's cache (${weightsFile}): continuing with weights=None, ` +
    'a randomly initialized VGG16 base. Put the file there to train on ImageNet features.');
}
const baseModel = await keras.applications.VGG16({ weights, includeTop: false, inputShape: [imageSize, imageSize, 3] });

// # add the new classifier
// x = base_model.output
// x = GlobalAveragePooling2D()(x)
// x = Dense(1024, activation='relu')(x)
// predictions = Dense(num_classes, activation='softmax')(x)
let x = baseModel.output;
x = new layers.GlobalAveragePooling2D().apply(x);
x = new layers.Dense(1024, { activation: 'relu' }).apply(x);
const predictions = new layers.Dense(numClasses, { activation: 'softmax' }).apply(x);

// # the model to train
// model = Model(inputs=base_model.input, outputs=predictions)
const model = new keras.Model({ inputs: baseModel.input, outputs: predictions });

// # freeze the pre-trained layers
// for layer in base_model.layers:
//     layer.trainable = False
for (const layer of baseModel.layers) layer.trainable = false;

// model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
// model.summary()
model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
model.summary();

// model.fit(train_generator, epochs=10, validation_data=validation_generator)
const history = await model.fit(trainGenerator, { epochs, validationData: validationGenerator });

// loss, accuracy = model.evaluate(validation_generator)
// print(f"Validation accuracy: {accuracy:.2%}")
const [loss, accuracy] = (await model.evaluate(validationGenerator)) as number[];
console.log(`Validation accuracy: ${(accuracy * 100).toFixed(2)}% (loss ${loss.toFixed(4)}), ` +
  `${weights ? 'ImageNet' : 'randomly initialized'} VGG16 base`);
await keras.visualization.plotHistory(history, { path: `${out}/training_curves.png` });
console.log(`Wrote ${out}/training_curves.png`);

/** The first DIGITS_PER_CLASS MNIST training digits of each class as <dir>/<digit>/<i>.png (kept if already there). */
async function writeDigits(dir: string): Promise<string> {
  if (existsSync(dir) && readdirSync(dir).length === 10) return dir;
  const [[images, labels]] = await keras.datasets.mnist.loadData();
  const pixels = images.dataSync() as Uint8Array;
  const digits = labels.dataSync() as Uint8Array;
  const written = new Array<number>(10).fill(0);
  for (let i = 0; i < digits.length && written.some((n) => n < DIGITS_PER_CLASS); i++) {
    const digit = digits[i];
    if (written[digit] === DIGITS_PER_CLASS) continue;
    mkdirSync(join(dir, String(digit)), { recursive: true });
    await sharp(pixels.subarray(i * 784, (i + 1) * 784), { raw: { width: 28, height: 28, channels: 1 } })
      .png().toFile(join(dir, String(digit), `${written[digit]++}.png`));
  }
  console.log(`Wrote ${DIGITS_PER_CLASS} MNIST digits per class as PNG files in ${dir}`);
  return dir;
}
