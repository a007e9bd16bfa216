// Kernel family 'conv': see src/engine/kernels.ts for the contract.
