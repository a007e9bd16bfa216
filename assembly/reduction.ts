// Kernel family 'reduction': see src/engine/kernels.ts for the contract.
