/**
 * Tutorial 003: CIFAR-10. Eight random images with their labels; a dense network against a
 * two-convolution CNN with padding and strides; then the CNN improved with BatchNormalization
 * and Dropout. `npm run example -- cifar10_cnn [--epochs N] [--out DIR]`.
 *
 * CIFAR-10 comes from Keras's cache (~/.keras/datasets/cifar-10-batches-py) or is downloaded
 * from Keras's URL, as keras.datasets.cifar10.load_data() does.
 *
 * The Python of the tutorial sits beside each block as comments.
 */
import * as keras from 'keras-ts';
import { exampleOptions } from './cli.js';

const { layers } = keras;
const options = exampleOptions('cifar10_cnn', 10);

// (x_train, y_train), (x_test, y_test) = cifar10.load_data()
// class_names = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']
const [[xTrainRaw, yTrainRaw], [xTestRaw, yTestRaw]] = await keras.datasets.cifar10.loadData();
const classNames = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

// # eight random training images with their labels
// idx = np.random.randint(0, len(x_train), 8)
// for i, j in enumerate(idx):
//     plt.subplot(2, 4, i + 1); plt.imshow(x_train[j]); plt.title(class_names[y_train[j][0]])
// plt.show()
const idx = Array.from(keras.random.uniform([8], { maxval: xTrainRaw.shape[0] }).dataSync(), Math.floor);
await keras.visualization.plotImageGallery(keras.ops.concatenate(idx.map((j) => xTrainRaw.index([j, j + 1]))), {
  labels: idx.map((j) => yTrainRaw.index(j, 0).toArray() as number), labelMap: classNames, rows: 2, cols: 4,
  path: `${options.out}/samples.png`,
});

// x_train = x_train.astype('float32') / 255
// x_test = x_test.astype('float32') / 255
// y_train = to_categorical(y_train, 10)
// y_test = to_categorical(y_test, 10)
const xTrain = xTrainRaw.astype('float32').div(255);
const xTest = xTestRaw.astype('float32').div(255);
const yTrain = keras.utils.toCategorical(yTrainRaw, 10);
const yTest = keras.utils.toCategorical(yTestRaw, 10);

// def train(model):
//     model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
//     model.summary()
//     model.fit(x_train, y_train, epochs=10, batch_size=64, validation_split=0.1)
//     return model.evaluate(x_test, y_test, verbose=0)[1]
async function train(model: keras.Sequential): Promise<number> {
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  model.summary();
  await model.fit(xTrain, yTrain, { epochs: options.epochs, batchSize: 64, validationSplit: 0.1 });
  return ((await model.evaluate(xTest, yTest, { verbose: 0 })) as number[])[1];
}

// dense = Sequential([
//     Flatten(input_shape=(32, 32, 3)),
//     Dense(256, activation='relu'),
//     Dense(128, activation='relu'),
//     Dense(10, activation='softmax'),
// ])
const dense = new keras.Sequential([
  new layers.Flatten({ inputShape: [32, 32, 3] }),
  new layers.Dense(256, { activation: 'relu' }),
  new layers.Dense(128, { activation: 'relu' }),
  new layers.Dense(10, { activation: 'softmax' }),
]);

// cnn = Sequential([
//     Conv2D(32, (3, 3), padding='same', activation='relu', input_shape=(32, 32, 3)),
//     Conv2D(64, (3, 3), strides=(2, 2), padding='same', activation='relu'),
//     Flatten(),
//     Dense(128, activation='relu'),
//     Dense(10, activation='softmax'),
// ])
const cnn = new keras.Sequential([
  new layers.Conv2D(32, [3, 3], { padding: 'same', activation: 'relu', inputShape: [32, 32, 3] }),
  new layers.Conv2D(64, [3, 3], { strides: [2, 2], padding: 'same', activation: 'relu' }),
  new layers.Flatten(),
  new layers.Dense(128, { activation: 'relu' }),
  new layers.Dense(10, { activation: 'softmax' }),
]);

// improved = Sequential([
//     Conv2D(32, (3, 3), padding='same', activation='relu', input_shape=(32, 32, 3)),
//     BatchNormalization(),
//     Conv2D(64, (3, 3), strides=(2, 2), padding='same', activation='relu'),
//     BatchNormalization(),
//     Dropout(0.25),
//     Flatten(),
//     Dense(128, activation='relu'),
//     Dropout(0.5),
//     Dense(10, activation='softmax'),
// ])
const improved = new keras.Sequential([
  new layers.Conv2D(32, [3, 3], { padding: 'same', activation: 'relu', inputShape: [32, 32, 3] }),
  new layers.BatchNormalization(),
  new layers.Conv2D(64, [3, 3], { strides: [2, 2], padding: 'same', activation: 'relu' }),
  new layers.BatchNormalization(),
  new layers.Dropout(0.25),
  new layers.Flatten(),
  new layers.Dense(128, { activation: 'relu' }),
  new layers.Dropout(0.5),
  new layers.Dense(10, { activation: 'softmax' }),
]);

// for name, model in [('dense', dense), ('cnn', cnn), ('cnn + batch norm + dropout', improved)]:
//     print(name, 'test accuracy:', train(model))
for (const [name, model] of [['dense', dense], ['cnn', cnn], ['cnn + batch norm + dropout', improved]] as const) {
  console.log(name, 'test accuracy:', await train(model));
}
