/** M1, M2 and M3 in keras-ts, compiled as the benchmark trains them: Adam(1e-3), categorical cross-entropy. */
import * as keras from '../index.js';
import { MODELS, type ModelName } from './models.js';

const { layers } = keras;

function layerList(name: ModelName): keras.layers.Layer[] {
  const inputShape = MODELS[name].inputShape;
  switch (name) {
    case 'M1':
      return [
        new layers.Conv2D(32, [3, 3], { activation: 'relu', inputShape }),
        new layers.MaxPooling2D([2, 2]),
        new layers.Conv2D(64, [3, 3], { activation: 'relu' }),
        new layers.MaxPooling2D([2, 2]),
        new layers.Flatten(),
        new layers.Dense(128, { activation: 'relu' }),
        new layers.Dense(10, { activation: 'softmax' }),
      ];
    case 'M2':
      return [
        new layers.Conv2D(32, [5, 5], { activation: 'relu', inputShape }),
        new layers.MaxPooling2D(),
        new layers.Dropout(0.2),
        new layers.Flatten(),
        new layers.Dense(128, { activation: 'relu' }),
        new layers.Dense(10, { activation: 'softmax' }),
      ];
    case 'M3':
      return [
        new layers.Conv2D(32, [3, 3], { padding: 'same', activation: 'relu', inputShape }),
        new layers.BatchNormalization(),
        new layers.Conv2D(32, [3, 3], { activation: 'relu' }),
        new layers.MaxPooling2D(),
        new layers.Dropout(0.25),
        new layers.Conv2D(64, [3, 3], { padding: 'same', strides: [2, 2], activation: 'relu' }),
        new layers.GlobalAveragePooling2D(),
        new layers.Dense(10, { activation: 'softmax' }),
      ];
  }
}

/**
 * A compiled model with Keras's default initialisation (seeded). `loss` defaults to Keras's
 * categorical cross-entropy; the profiler passes its own instance to watch it.
 */
export function kerasModel(name: ModelName, loss: keras.losses.Loss = new keras.losses.CategoricalCrossentropy()): keras.Sequential {
  keras.utils.setRandomSeed(1);
  const model = new keras.Sequential(layerList(name));
  model.compile({ optimizer: new keras.optimizers.Adam({ learningRate: 1e-3 }), loss });
  return model;
}
