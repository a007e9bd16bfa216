/**
 * The tutorial CNNs of ../shared/ENGINE-NOTES.md as keras-ts layer stacks, one definition for
 * the tests that compare them with Keras and for the benchmarks that time them.
 * (examples/ spell them out again on purpose: each example is a standalone twin of a tutorial.)
 */
import type { Layer } from '../layers/layer.js';
import * as layers from '../layers/index.js';

export type TutorialModel = 'M1' | 'M2' | 'M3';

export interface TutorialOptions {
  /** M2 with its Dropout (default) or without, as in the training-trajectory fixture. */
  dropout?: boolean;
}

/** M1: tutorial 001's CNN; M2: tutorial 002's; M3: the 32x32x3 CNN with BatchNormalization. */
export function tutorialLayers(name: TutorialModel, options: TutorialOptions = {}): Layer[] {
  switch (name) {
    case 'M1':
      return [
        new layers.Conv2D(32, [3, 3], { activation: 'relu', inputShape: [28, 28, 1] }),
        new layers.MaxPooling2D([2, 2]),
        new layers.Conv2D(64, [3, 3], { activation: 'relu' }),
        new layers.MaxPooling2D([2, 2]),
        new layers.Flatten(),
        new layers.Dense(128, { activation: 'relu' }),
        new layers.Dense(10, { activation: 'softmax' }),
      ];
    case 'M2':
      return [
        new layers.Conv2D(32, [5, 5], { activation: 'relu', inputShape: [28, 28, 1] }),
        new layers.MaxPooling2D(),
        ...(options.dropout ?? true ? [new layers.Dropout(0.2)] : []),
        new layers.Flatten(),
        new layers.Dense(128, { activation: 'relu' }),
        new layers.Dense(10, { activation: 'softmax' }),
      ];
    case 'M3':
      return [
        new layers.Conv2D(32, [3, 3], { padding: 'same', activation: 'relu', inputShape: [32, 32, 3] }),
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
