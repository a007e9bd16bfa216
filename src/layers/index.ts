/**
 * keras.layers: the layer classes, Keras's aliases, and `serialize`/`deserialize` in Keras's
 * `{module: 'keras.layers', class_name, config, registered_name, build_config}` form.
 * Mirrors keras/src/layers/__init__.py.
 */
import { deserializeKerasObject, serializeKerasObject, type SerializableClass, type SerializedObject } from '../saving/serialization_lib.js';
import { Activation } from './activations/activation.js';
import { ReLU } from './activations/relu.js';
import { Softmax } from './activations/softmax.js';
import { Conv2D } from './convolutional/conv2d.js';
import { DepthwiseConv2D } from './convolutional/depthwise_conv2d.js';
import { Dense } from './core/dense.js';
import { InputLayer } from './core/input_layer.js';
import type { LayerShape } from './input_spec.js';
import type { Layer } from './layer.js';
import { Add } from './merging/add.js';
import { Concatenate } from './merging/concatenate.js';
import { BatchNormalization } from './normalization/batch_normalization.js';
import { AveragePooling2D } from './pooling/average_pooling2d.js';
import { GlobalAveragePooling2D } from './pooling/global_average_pooling2d.js';
import { GlobalMaxPooling2D } from './pooling/global_max_pooling2d.js';
import { MaxPooling2D } from './pooling/max_pooling2d.js';
import { Rescaling } from './preprocessing/rescaling.js';
import { Dropout } from './regularization/dropout.js';
import { Flatten } from './reshaping/flatten.js';
import { Reshape } from './reshaping/reshape.js';
import { ZeroPadding2D } from './reshaping/zero_padding2d.js';

export {
  Activation, Add, AveragePooling2D, BatchNormalization, Concatenate, Conv2D, Dense, DepthwiseConv2D, Dropout, Flatten,
  GlobalAveragePooling2D, GlobalMaxPooling2D, InputLayer, MaxPooling2D, ReLU, Reshape, Rescaling, Softmax, ZeroPadding2D,
};
export { Input } from './core/input_layer.js';
export type { InputOptions } from './core/input_layer.js';
export { Layer } from './layer.js';
export type { CallOptions, LayerOptions } from './layer.js';
export type { BaseConvOptions } from './convolutional/base_conv.js';
export type { DepthwiseConv2DOptions } from './convolutional/depthwise_conv2d.js';
export type { DenseOptions } from './core/dense.js';
export type { ConcatenateOptions } from './merging/concatenate.js';
export type { BatchNormalizationOptions } from './normalization/batch_normalization.js';
export type { GlobalPoolingOptions } from './pooling/base_global_pooling.js';
export type { Pooling2DOptions } from './pooling/base_pooling.js';
export type { RescalingOptions } from './preprocessing/rescaling.js';
export type { DropoutOptions } from './regularization/dropout.js';
export type { FlattenOptions } from './reshaping/flatten.js';
export type { ZeroPadding2DOptions, ZeroPadding2DPadding } from './reshaping/zero_padding2d.js';
export type { ReLUOptions } from './activations/relu.js';
export type { SoftmaxOptions } from './activations/softmax.js';

/** Keras's aliases (keras.layers.MaxPool2D is MaxPooling2D, ...). */
export { AveragePooling2D as AvgPool2D, MaxPooling2D as MaxPool2D };

/** Every layer `deserialize` can rebuild, by Keras class name. */
const LAYERS = new Map<string, SerializableClass<Layer>>(([
  Activation, Add, AveragePooling2D, BatchNormalization, Concatenate, Conv2D, Dense, DepthwiseConv2D, Dropout, Flatten,
  GlobalAveragePooling2D, GlobalMaxPooling2D, InputLayer, MaxPooling2D, ReLU, Reshape, Rescaling, Softmax, ZeroPadding2D,
] as SerializableClass<Layer>[]).map((cls) => [cls.className, cls]));

/** A serialized layer: Keras adds the shape it was built with when it has one. */
export interface SerializedLayer extends SerializedObject {
  build_config?: { input_shape: LayerShape | LayerShape[] };
}

/**
 * The object Keras writes for `layer` (keras.layers.serialize): module, class_name, config,
 * registered_name, and `build_config` once the layer was built on a known shape.
 *
 * Example: `keras.layers.serialize(new keras.layers.Dense(3)).config.units   // 3`
 */
export function serialize(layer: Layer): SerializedLayer {
  const serialized: SerializedLayer = serializeKerasObject(layer, 'keras.layers');
  if (layer.buildInputShape) serialized.build_config = { input_shape: layer.buildInputShape };
  return serialized;
}

/**
 * Rebuilds a layer from what `serialize` (or Keras) wrote (keras.layers.deserialize); with a
 * `build_config` the layer is built too, so its weights exist.
 */
export function deserialize(obj: SerializedLayer): Layer {
  const layer = deserializeKerasObject(obj, LAYERS, 'layer');
  if (obj.build_config) layer.build(obj.build_config.input_shape);
  return layer;
}
