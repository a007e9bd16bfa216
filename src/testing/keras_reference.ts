/**
 * Loads the Keras 3.15.1 reference cases in ../shared/keras-reference (beside the repository):
 * JSON descriptions plus raw little-endian .f32/.i32 arrays, as Tensors.
 *
 * The folder is KERAS_REFERENCE_DIR when set, else `<repo root>/../shared/keras-reference`, the
 * repo root being the nearest folder above this compiled file whose package.json is keras-ts's.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tensor, sizeOf } from '../backend/tensor.js';
import type { SerializedLayer } from '../layers/index.js';

/** One array of a case: a raw file, its shape and dtype. */
export interface ReferenceArray {
  file: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

export interface ReferenceWeight extends ReferenceArray {
  path: string;
  name: string;
  trainable?: boolean;
}

/** A layer case as layers/<id>/case.json describes it. */
export interface LayerCaseSpec {
  id: string;
  layer: SerializedLayer;
  input_shape: number[];
  /** null: called without `training` (inference). */
  training: boolean | null;
  note: string | null;
  arrays: Record<string, ReferenceArray>;
  weights_before: ReferenceWeight[];
  weights_after?: ReferenceWeight[];
  loss?: string;
  loss_value?: number;
  grads?: Record<string, ReferenceArray>;
}

/** A case with its arrays read. */
export interface LayerCase {
  spec: LayerCaseSpec;
  arrays: Record<string, Tensor>;
  weightsBefore: Tensor[];
  weightsAfter: Tensor[] | null;
  /** Gradients by name: 'input' and the weights' names. */
  grads: Record<string, Tensor>;
}

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'keras-ts') return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`keras_reference: no keras-ts package.json above ${fileURLToPath(import.meta.url)}; ` +
        'set KERAS_REFERENCE_DIR to the keras-reference folder');
    }
    dir = parent;
  }
}

/** The reference folder (see the module comment). */
export function referenceDir(): string {
  const dir = process.env.KERAS_REFERENCE_DIR ?? resolve(repoRoot(), '..', 'shared', 'keras-reference');
  if (!existsSync(join(dir, 'README.md'))) throw new Error(`keras_reference: ${dir} is not the keras-reference folder (no README.md)`);
  return dir;
}

/** Reads one raw little-endian array. */
export function readArray(dir: string, array: ReferenceArray): Tensor {
  const bytes = readFileSync(join(dir, array.file));
  const n = sizeOf(array.shape);
  if (bytes.length !== n * 4) {
    throw new Error(`keras_reference: ${array.file} holds ${bytes.length} bytes, expected ${n * 4} for shape [${array.shape.join(', ')}]`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (array.dtype === 'int32') return new Tensor(Int32Array.from({ length: n }, (_, i) => view.getInt32(4 * i, true)), array.shape, 'int32');
  return new Tensor(Float32Array.from({ length: n }, (_, i) => view.getFloat32(4 * i, true)), array.shape, 'float32');
}

/** The ids of the layer cases (the folders of layers/), sorted. */
export function layerCaseIds(): string[] {
  return readdirSync(join(referenceDir(), 'layers')).filter((id) => existsSync(join(referenceDir(), 'layers', id, 'case.json'))).sort();
}

/** Reads layers/<id>: the description and every array it names. */
export function loadLayerCase(id: string): LayerCase {
  const dir = join(referenceDir(), 'layers', id);
  const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as LayerCaseSpec;
  const read = (record: Record<string, ReferenceArray>): Record<string, Tensor> =>
    Object.fromEntries(Object.entries(record).map(([name, a]) => [name, readArray(dir, a)]));
  return {
    spec,
    arrays: read(spec.arrays),
    weightsBefore: spec.weights_before.map((w) => readArray(dir, w)),
    weightsAfter: spec.weights_after?.map((w) => readArray(dir, w)) ?? null,
    grads: read(spec.grads ?? {}),
  };
}
