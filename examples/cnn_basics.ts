/**
 * Tutorial 000: the anatomy of a CNN for 224x223 colour images: four Conv2D/MaxPool2D stages,
 * a classifier on top, compiled with categorical cross-entropy, and its summary.
 * `npm run example -- cnn_basics`.
 *
 * The Python of the tutorial sits beside each block as comments.
 */
import * as keras from 'keras-ts';

const { layers } = keras;

// num_classes = 3
// model = Sequential()
// model.add(Conv2D(32, (3, 3), activation='relu', input_shape=(224, 223, 3)))
// model.add(MaxPool2D((2, 2)))
// model.add(Conv2D(64, (3, 3), activation='relu'))
// model.add(MaxPool2D((2, 2)))
// model.add(Conv2D(128, (3, 3), activation='relu'))
// model.add(MaxPool2D((2, 2)))
// model.add(Conv2D(128, (3, 3), activation='relu'))
// model.add(MaxPool2D((2, 2)))
// model.add(Flatten())
// model.add(Dense(512, activation='relu'))
// model.add(Dense(num_classes, activation='softmax'))
const numClasses = 3;
const model = new keras.Sequential();
model.add(new layers.Conv2D(32, [3, 3], { activation: 'relu', inputShape: [224, 223, 3] }));
model.add(new layers.MaxPool2D([2, 2]));
model.add(new layers.Conv2D(64, [3, 3], { activation: 'relu' }));
model.add(new layers.MaxPool2D([2, 2]));
model.add(new layers.Conv2D(128, [3, 3], { activation: 'relu' }));
model.add(new layers.MaxPool2D([2, 2]));
model.add(new layers.Conv2D(128, [3, 3], { activation: 'relu' }));
model.add(new layers.MaxPool2D([2, 2]));
model.add(new layers.Flatten());
model.add(new layers.Dense(512, { activation: 'relu' }));
model.add(new layers.Dense(numClasses, { activation: 'softmax' }));

// model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
// model.summary()
model.compile({ loss: 'categorical_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
model.summary();

// # one forward pass on a random image checks the shapes end to end
// print(model.predict(np.random.rand(1, 224, 223, 3)).shape)
console.log((await model.predict(keras.random.uniform([1, 224, 223, 3]))).shape);
