/** M1, M2 and M3 in keras-ts, compiled as the benchmark trains them: Adam(1e-3), categorical cross-entropy. */
import * as keras from '../index.js';
import { tutorialLayers } from '../testing/tutorial_models.js';
import type { ModelName } from './models.js';

/**
 * A compiled model with Keras's default initialisation (seeded). `loss` defaults to Keras's
 * categorical cross-entropy; the profiler passes its own instance to watch it.
 */
export function kerasModel(name: ModelName, loss: keras.losses.Loss = new keras.losses.CategoricalCrossentropy()): keras.Sequential {
  keras.utils.setRandomSeed(1);
  const model = new keras.Sequential(tutorialLayers(name));
  model.compile({ optimizer: new keras.optimizers.Adam({ learningRate: 1e-3 }), loss });
  return model;
}
