/** The AdamW optimizer. Mirrors keras/src/optimizers/adamw.py. */
import { Adam, type AdamOptions } from './adam.js';

/**
 * Optimizer that implements the AdamW algorithm: Adam with decoupled weight decay
 * ([Loshchilov et al., 2019](https://arxiv.org/abs/1711.05101)).
 *
 * The weight decay is applied by the optimizer base before each update:
 * `w = w - w * weightDecay * learningRate`.
 *
 * Args:
 *   options.weightDecay: the decay rate. Defaults to 0.004; must not be null.
 *   ...and Adam's options (`AdamOptions`), with the same defaults.
 *
 * Example:
 *
 * ```ts
 * const optimizer = new keras.optimizers.AdamW({learningRate: 1e-3, weightDecay: 1e-2});
 * ```
 */
export class AdamW extends Adam {
  static override readonly className: string = 'AdamW';

  constructor(options: AdamOptions = {}) {
    // Keras: adamw.py weight_decay=0.004
    super({ ...options, weightDecay: options.weightDecay === undefined ? 0.004 : options.weightDecay });
    if (this.weightDecay === null) this.fail('Argument `weight_decay` must be a float. Received: weight_decay=None');
  }
}
