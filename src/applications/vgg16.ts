/** The VGG16 model (keras.applications.vgg16). Mirrors keras/src/applications/vgg16.py. */
import type { Model } from '../models/model.js';
import { buildApplication, fixedSpec, type ApplicationOptions } from './application.js';
import { VGG_WEIGHTS_FOLDER, vggLayers } from './vgg.js';

/** keras.applications.vgg16.preprocess_input ('caffe' mode) and decode_predictions. */
export { caffePreprocessInput as preprocessInput, decodePredictions } from './imagenet_utils.js';

/**
 * Instantiates the VGG16 model (Very Deep Convolutional Networks for Large-Scale Image
 * Recognition, ICLR 2015). The default input size is 224x224.
 *
 * Each Keras application expects its own input preprocessing: for VGG16, call
 * `keras.applications.vgg16.preprocessInput` on the images first (RGB to BGR, then each color
 * channel zero-centered with respect to ImageNet, without scaling).
 *
 * Args:
 *   options: `includeTop` (the 3 fully-connected layers; default true), `weights` (null,
 *     'imagenet' (the default) or a weights file's path), `inputTensor`, `inputShape`, `pooling`
 *     (null, 'avg' or 'max', without the top), `classes` (default 1000), `classifierActivation`
 *     (default 'softmax'; only 'softmax' or null with pretrained weights), `name` (default 'vgg16').
 *
 * Returns:
 *   A promise of the functional `Model` (weights are read from files).
 *
 * Example:
 *   const base = await keras.applications.VGG16({weights: 'imagenet', includeTop: false, inputShape: [224, 224, 3]});
 *   base.trainable = false;
 *   const x = new keras.layers.GlobalAveragePooling2D().apply(base.output);
 *   const predictions = new keras.layers.Dense(5, {activation: 'softmax'}).apply(x);
 *   const model = new keras.Model({inputs: base.input, outputs: predictions});
 */
export function VGG16(options: ApplicationOptions = {}): Promise<Model> {
  const spec = fixedSpec('vgg16', `${VGG_WEIGHTS_FOLDER}vgg16/`,
    ['64373286793e3c8b2b4e3219cbf3544b', '6d6bbae143d832006294945121d1f1fc']);
  return buildApplication(spec, options, (input, top) => vggLayers(input, [2, 2, 3, 3, 3], top));
}

