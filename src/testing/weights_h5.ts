/**
 * Reads the weights Keras saved in a `.weights.h5` file (layers/<name>/vars/0, 1, ...), for
 * tests that set reference weights. Saving and loading proper belong to keras.saving.
 */
import { File, ready, type Dataset, type Group } from 'h5wasm/node';
import { Tensor } from '../backend/tensor.js';

/** Each layer's weights in `get_weights()` order, by layer name. */
export async function readLayerWeights(path: string): Promise<Map<string, Tensor[]>> {
  await ready;
  const file = new File(path, 'r');
  try {
    const layers = file.get('layers') as Group;
    const result = new Map<string, Tensor[]>();
    for (const name of layers.keys()) {
      const vars = file.get(`layers/${name}/vars`) as Group;
      const keys = vars.keys().map(Number).sort((a, b) => a - b);
      result.set(name, keys.map((k) => {
        const dataset = file.get(`layers/${name}/vars/${k}`) as Dataset;
        return new Tensor(Float32Array.from(dataset.value as Float32Array), dataset.shape ?? [], 'float32');
      }));
    }
    return result;
  } finally {
    file.close();
  }
}
