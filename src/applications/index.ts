/**
 * keras.applications: image classification models with Keras's architectures, layer names and
 * ImageNet weight files, and each family's input preprocessing and prediction decoding.
 * Mirrors keras/src/applications and its public modules (keras.applications.vgg16, ...).
 */
export { MobileNetV2 } from './mobilenet_v2.js';
export { ResNet50 } from './resnet.js';
export { VGG16 } from './vgg16.js';
export { VGG19 } from './vgg19.js';
export type { ApplicationOptions } from './application.js';
export type { MobileNetV2Options } from './mobilenet_v2.js';
export type { ClassIndex, DecodePredictionsOptions, PreprocessMode, PreprocessOptions } from './imagenet_utils.js';
export * as imagenetUtils from './imagenet_utils.js';
export * as mobilenetV2 from './mobilenet_v2.js';
export * as resnet from './resnet.js';
export * as resnet50 from './resnet.js';
export * as vgg16 from './vgg16.js';
export * as vgg19 from './vgg19.js';
