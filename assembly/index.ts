// The WASM kernel module: one export surface for every kernel family. Each family lives in its
// own file; kernels the engine splits across threads take `(start, end, tid, ...)` first.
export { heap_base } from './memory';
export * from './gemm';
export * from './conv';
export * from './depthwise_conv';
export * from './pool';
export * from './batch_norm';
export * from './random';
export * from './elementwise';
export * from './reduction';
export * from './optimizer';
export * from './winograd';
export * from './winograd4';
