/**
 * Tutorial 002: a CNN with Dropout on MNIST, the seed tutorial (98.73 % after 5 epochs).
 * `npm start` runs it; `npm run example -- mnist_dropout --epochs 1` shortens it.
 *
 * The Python of the tutorial sits beside each block as comments.
 */
import * as keras from 'keras-ts';
import { exampleOptions } from './cli.js';

const { layers } = keras;
const options = exampleOptions('mnist_dropout', 5);

// from keras.datasets import mnist
// from keras.models import Sequential
// from keras.layers import Dense, Dropout, Flatten, Conv2D, MaxPooling2D
// from keras.utils import to_categorical

// # load data
// (X_train, y_train), (X_test, y_test) = mnist.load_data()
let [[xTrain, yTrain], [xTest, yTest]] = await keras.datasets.mnist.loadData();

// # reshape to be [samples][width][height][channels]
// X_train = X_train.reshape((X_train.shape[0], 28, 28, 1)).astype('float32')
// X_test = X_test.reshape((X_test.shape[0], 28, 28, 1)).astype('float32')
xTrain = xTrain.reshape([xTrain.shape[0], 28, 28, 1]).astype('float32');
xTest = xTest.reshape([xTest.shape[0], 28, 28, 1]).astype('float32');

// # normalize inputs from 0-255 to 0-1
// X_train = X_train / 255
// X_test = X_test / 255
xTrain = xTrain.div(255);
xTest = xTest.div(255);

// # one hot encode outputs
// y_train = to_categorical(y_train)
// y_test = to_categorical(y_test)
// num_classes = y_test.shape[1]
yTrain = keras.utils.toCategorical(yTrain);
yTest = keras.utils.toCategorical(yTest);
const numClasses = yTest.shape[1];

// # define a simple CNN model
// def baseline_model():
//     model = Sequential()
//     model.add(Conv2D(32, (5, 5), input_shape=(28, 28, 1), activation='relu'))
//     model.add(MaxPooling2D())
//     model.add(Dropout(0.2))
//     model.add(Flatten())
//     model.add(Dense(128, activation='relu'))
//     model.add(Dense(num_classes, activation='softmax'))
//     model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
//     return model
function baselineModel(): keras.Sequential {
  const model = new keras.Sequential();
  model.add(new layers.Conv2D(32, [5, 5], { inputShape: [28, 28, 1], activation: 'relu' }));
  model.add(new layers.MaxPooling2D());
  model.add(new layers.Dropout(0.2));
  model.add(new layers.Flatten());
  model.add(new layers.Dense(128, { activation: 'relu' }));
  model.add(new layers.Dense(numClasses, { activation: 'softmax' }));
  model.compile({ loss: 'categorical_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
  return model;
}

// # build the model
// model = baseline_model()
// model.summary()
const model = baselineModel();
model.summary();

// # fit the model
// history = model.fit(X_train, y_train, validation_data=(X_test, y_test), epochs=5, batch_size=150)
const history = await model.fit(xTrain, yTrain, { validationData: [xTest, yTest], epochs: options.epochs, batchSize: 150 });

// # final evaluation of the model
// scores = model.evaluate(X_test, y_test, verbose=0)
// print("CNN Error: %.2f%%" % (100-scores[1]*100))
const scores = (await model.evaluate(xTest, yTest, { verbose: 0 })) as number[];
console.log(`CNN Error: ${(100 - scores[1] * 100).toFixed(2)}%`);

// # the learned filters, the training curves and the trained model
// filters, biases = model.layers[0].get_weights()
// ... matplotlib: the first six filters, and history.history's loss and accuracy
// model.save('mnist_dropout.keras')
const [filters] = model.layers[0].getWeights();
await keras.visualization.plotFilters(filters, { count: 6, path: `${options.out}/filters.png` });
await keras.visualization.plotHistory(history, { path: `${options.out}/training_curves.png` });
await model.save(`${options.out}/mnist_dropout.keras`);
console.log(`Test accuracy ${(scores[1] * 100).toFixed(2)} %. Wrote ${options.out}/filters.png, ` +
  `${options.out}/training_curves.png and the trained model ${options.out}/mnist_dropout.keras`);
