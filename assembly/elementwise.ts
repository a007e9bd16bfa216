// Kernel family 'elementwise': see src/engine/kernels.ts for the contract.
