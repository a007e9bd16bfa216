// Kernel family 'batch_norm': see src/engine/kernels.ts for the contract.
