import assert from 'node:assert/strict';
import test from 'node:test';
import { camelKeys, snakeKeys, toCamelCase, toSnakeCase } from './naming.js';

test('toSnakeCase follows Keras for class names and option keys', () => {
  const cases: [string, string][] = [
    ['Conv2D', 'conv2d'], ['MaxPooling2D', 'max_pooling2d'], ['BatchNormalization', 'batch_normalization'],
    ['GlobalAveragePooling2D', 'global_average_pooling2d'], ['Dense', 'dense'], ['ReLU', 're_lu'],
    ['kernelSize', 'kernel_size'], ['useBias', 'use_bias'], ['dilationRate', 'dilation_rate'],
  ];
  for (const [name, snake] of cases) assert.equal(toSnakeCase(name), snake, name);
});

test('key conversion round-trips and leaves values alone', () => {
  assert.equal(toCamelCase('kernel_size'), 'kernelSize');
  const options = { kernelSize: [3, 3], dataFormat: 'channels_last', kernelInitializer: { class_name: 'Zeros', config: {} } };
  const config = snakeKeys(options);
  assert.deepEqual(Object.keys(config), ['kernel_size', 'data_format', 'kernel_initializer']);
  assert.equal(config.data_format, 'channels_last');
  assert.deepEqual(camelKeys(config), options);
});
