/** Zero-padding for 2D spatial data. Mirrors keras/src/layers/reshaping/zero_padding2d.py. */
import type { Tensor } from '../../backend/tensor.js';
import { pad } from '../../ops/pad.js';
import type { Config } from '../../saving/serialization_lib.js';
import type { LayerShape } from '../input_spec.js';
import { Layer, type LayerOptions } from '../layer.js';
import { channelsLast, layerOptionsFromConfig } from '../layer_options.js';

/** An int, `[symmetricHeight, symmetricWidth]`, or `[[top, bottom], [left, right]]`. */
export type ZeroPadding2DPadding = number | readonly (number | readonly number[])[];

export interface ZeroPadding2DOptions extends LayerOptions {
  /** Only 'channels_last' (NHWC), Keras's default image data format. */
  dataFormat?: 'channels_last' | null;
}

/**
 * Zero-padding layer for 2D input (e.g. picture): adds rows and columns of zeros at the top,
 * bottom, left and right of an image tensor.
 *
 * Args:
 *   padding: an int (the same padding on every side), `[symmetricHeightPad, symmetricWidthPad]`,
 *     or `[[topPad, bottomPad], [leftPad, rightPad]]`. Keras: padding=(1, 1).
 *   options: `dataFormat` and the layer options.
 *
 * Input shape: `(batch, height, width, channels)`.
 * Output shape: `(batch, paddedHeight, paddedWidth, channels)`.
 *
 * Example:
 *   new keras.layers.ZeroPadding2D(1).apply(keras.ops.ones([1, 2, 2, 1])).shape;           // [1, 4, 4, 1]
 *   new keras.layers.ZeroPadding2D([[3, 3], [3, 3]], {name: 'conv1_pad'});                // ResNet's stem
 */
export class ZeroPadding2D extends Layer {
  static override readonly className = 'ZeroPadding2D';
  /** `[[top, bottom], [left, right]]`. */
  readonly padding: [[number, number], [number, number]];
  readonly dataFormat: 'channels_last';

  constructor(padding: ZeroPadding2DPadding = [1, 1], options: ZeroPadding2DOptions = {}) {
    super(options);
    this.dataFormat = channelsLast('ZeroPadding2D', options.dataFormat);
    if (typeof padding === 'number') {
      this.padding = [[padding, padding], [padding, padding]];
    } else if (Array.isArray(padding)) {
      if (padding.length !== 2) throw new Error(`\`padding\` should have two elements. Received: padding=${pyRepr(padding)}.`);
      this.padding = [standardizePair(padding[0], '1st entry of padding'), standardizePair(padding[1], '2nd entry of padding')];
    } else {
      throw new Error('`padding` should be either an int, a tuple of 2 ints (symmetric_height_crop, symmetric_width_crop), ' +
        'or a tuple of 2 tuples of 2 ints ((top_crop, bottom_crop), (left_crop, right_crop)). ' +
        `Received: padding=${pyRepr(padding)}.`);
    }
    this.inputSpec = [{ ndim: 4 }];
    // Keras: a layer without weights is built once constructed.
    this.built = true;
  }

  call(inputs: Tensor): Tensor {
    return pad(inputs, [[0, 0], ...this.padding, [0, 0]]);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const [batch, height, width, channels] = inputShape;
    const grow = (size: number | null, [before, after]: [number, number]): number | null =>
      (size === null ? null : size + before + after);
    return [batch, grow(height, this.padding[0]), grow(width, this.padding[1]), channels];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), padding: this.padding, data_format: this.dataFormat };
  }

  static fromConfig(config: Config): ZeroPadding2D {
    const { padding, ...options } = layerOptionsFromConfig(config);
    return new ZeroPadding2D(padding as ZeroPadding2DPadding, options as ZeroPadding2DOptions);
  }
}

/** Keras's standardize_tuple(value, 2, name, allow_zero=True): an int or a pair of non-negative ints. */
function standardizePair(value: unknown, name: string): [number, number] {
  const message = `The \`${name}\` argument must be a tuple of 2 integers. Received ${name}=${pyRepr(value)}`;
  const pair = typeof value === 'number' ? [value, value] : Array.isArray(value) ? value as unknown[] : null;
  if (pair === null || pair.length !== 2) throw new Error(message);
  const bad = pair.find((v) => !Number.isInteger(v));
  if (bad !== undefined) throw new Error(`${message}including element ${pyRepr(bad)} of type ${typeof bad}`);
  const negative = pair.filter((v) => (v as number) < 0);
  if (negative.length > 0) {
    throw new Error(`${message}, including values {${[...new Set(negative)].join(', ')}} that do not satisfy \`value >= 0\``);
  }
  return pair as [number, number];
}

/** A value as Python prints it in Keras's messages: lists as tuples. */
function pyRepr(value: unknown): string {
  return Array.isArray(value) ? `(${value.map(pyRepr).join(', ')}${value.length === 1 ? ',' : ''})` : String(value);
}
