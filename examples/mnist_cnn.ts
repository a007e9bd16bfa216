/**
 * Tutorial 001: a two-convolution CNN on MNIST (over 98 % test accuracy), then its first six
 * learned filters as a picture. `npm run example -- mnist_cnn [--epochs N] [--out DIR]`.
 *
 * The Python of the tutorial sits beside each block as comments.
 */
import * as keras from 'keras-ts';
import { exampleOptions } from './cli.js';

const { layers } = keras;
const options = exampleOptions('mnist_cnn', 10);

// (x_train, y_train), (x_test, y_test) = mnist.load_data()
// x_train = x_train.reshape(-1, 28, 28, 1).astype('float32') / 255
// x_test = x_test.reshape(-1, 28, 28, 1).astype('float32') / 255
// y_train = to_categorical(y_train, 10)
// y_test = to_categorical(y_test, 10)
const [[xTrainRaw, yTrainRaw], [xTestRaw, yTestRaw]] = await keras.datasets.mnist.loadData();
const xTrain = xTrainRaw.reshape([-1, 28, 28, 1]).astype('float32').div(255);
const xTest = xTestRaw.reshape([-1, 28, 28, 1]).astype('float32').div(255);
const yTrain = keras.utils.toCategorical(yTrainRaw, 10);
const yTest = keras.utils.toCategorical(yTestRaw, 10);

// model = Sequential([
//     Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)),
//     MaxPooling2D((2, 2)),
//     Conv2D(64, (3, 3), activation='relu'),
//     MaxPooling2D((2, 2)),
//     Flatten(),
//     Dense(128, activation='relu'),
//     Dense(10, activation='softmax'),
// ])
const model = new keras.Sequential([
  new layers.Conv2D(32, [3, 3], { activation: 'relu', inputShape: [28, 28, 1] }),
  new layers.MaxPooling2D([2, 2]),
  new layers.Conv2D(64, [3, 3], { activation: 'relu' }),
  new layers.MaxPooling2D([2, 2]),
  new layers.Flatten(),
  new layers.Dense(128, { activation: 'relu' }),
  new layers.Dense(10, { activation: 'softmax' }),
]);

// model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
// model.summary()
// model.fit(x_train, y_train, epochs=10, batch_size=128, validation_split=0.1)
model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
model.summary();
await model.fit(xTrain, yTrain, { epochs: options.epochs, batchSize: 128, validationSplit: 0.1 });

// test_loss, test_acc = model.evaluate(x_test, y_test)
// print('Test accuracy:', test_acc)
const [, testAcc] = (await model.evaluate(xTest, yTest)) as number[];
console.log('Test accuracy:', testAcc);

// # the first six filters of the first convolution, scaled to [0, 1]
// filters, biases = model.layers[0].get_weights()
// f_min, f_max = filters.min(), filters.max()
// filters = (filters - f_min) / (f_max - f_min)
// for i in range(6):
//     f = filters[:, :, :, i]
//     ax = plt.subplot(6, 1, i + 1); plt.imshow(f[:, :, 0], cmap='gray')
// plt.show()
let [filters] = model.layers[0].getWeights();
const fMin = filters.min();
const fMax = filters.max();
filters = filters.sub(fMin).div(fMax.sub(fMin));
await keras.visualization.plotFilters(filters, { count: 6, path: `${options.out}/filters.png` });
console.log(`The first six filters: ${options.out}/filters.png`);
