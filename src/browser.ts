/**
 * keras-ts in browsers, bundled by scripts/bundle.mjs as dist/browser/keras.js with its worker
 * and kernels beside it:
 *
 *   const keras = await import('./keras-ts/keras.js');
 *   const [[xTrain, yTrain]] = await keras.datasets.mnist.loadData('mnist.npz');   // a URL
 *   const model = await keras.loadModel('models/mnist.keras');                       // a URL
 *   await model.save('mnist.keras');                                                 // a download
 *
 * Everything in `common.ts`, with datasets from URLs. What needs a disk or sharp (dataset
 * caches, image folders, keras.applications' weight cache, keras.visualization's PNG files)
 * stays in the Node entry. Threads need a cross-origin isolated page (COOP same-origin, COEP
 * require-corp); elsewhere the engine runs on one thread and says so in the console.
 */
export * from './common.js';
export * as datasets from './datasets/browser/index.js';
export * as utils from './utils/common.js';
