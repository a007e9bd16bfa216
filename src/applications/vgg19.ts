/** The VGG19 model (keras.applications.vgg19). Mirrors keras/src/applications/vgg19.py. */
import type { Model } from '../models/model.js';
import { buildApplication, fixedSpec, type ApplicationOptions } from './application.js';
import { VGG_WEIGHTS_FOLDER, vggLayers } from './vgg.js';

/** keras.applications.vgg19.preprocess_input ('caffe' mode) and decode_predictions. */
export { caffePreprocessInput as preprocessInput, decodePredictions } from './imagenet_utils.js';

/**
 * Instantiates the VGG19 model (Very Deep Convolutional Networks for Large-Scale Image
 * Recognition, ICLR 2015). The default input size is 224x224.
 *
 * Each Keras application expects its own input preprocessing: for VGG19, call
 * `keras.applications.vgg19.preprocessInput` on the images first (RGB to BGR, then each color
 * channel zero-centered with respect to ImageNet, without scaling).
 *
 * Args:
 *   options: `includeTop` (the 3 fully-connected layers; default true), `weights` (null,
 *     'imagenet' (the default) or a weights file's path), `inputTensor`, `inputShape`, `pooling`
 *     (null, 'avg' or 'max', without the top), `classes` (default 1000), `classifierActivation`
 *     (default 'softmax'; only 'softmax' or null with pretrained weights), `name` (default 'vgg19').
 *
 * Returns:
 *   A promise of the functional `Model` (weights are read from files).
 *
 * Example:
 *   const base = await keras.applications.VGG19({weights: 'imagenet', includeTop: false, inputShape: [224, 224, 3]});
 *   base.trainable = false;
 *   const x = new keras.layers.GlobalAveragePooling2D().apply(base.output);
 *   const predictions = new keras.layers.Dense(5, {activation: 'softmax'}).apply(x);
 *   const model = new keras.Model({inputs: base.input, outputs: predictions});
 */
export function VGG19(options: ApplicationOptions = {}): Promise<Model> {
  const spec = fixedSpec('vgg19', `${VGG_WEIGHTS_FOLDER}vgg19/`,
    ['cbe5617147190e668d6c5d5026f83318', '253f8cb515780f3b799900260a226db6']);
  return buildApplication(spec, options, (input, top) => vggLayers(input, [2, 2, 4, 4, 4], top));
}

