// Kernel family 'pool': see src/engine/kernels.ts for the contract.
