// Kernel family 'random': see src/engine/kernels.ts for the contract.
