// Kernel family 'gemm': see src/engine/kernels.ts for the contract.
