/**
 * The few command-line options every example takes:
 *   --epochs N   shorten (or lengthen) the training run
 *   --out DIR    where pictures and the saved model go (default output/<example>)
 */
import { parseArgs } from 'node:util';

export interface ExampleOptions {
  epochs: number;
  out: string;
}

export function exampleOptions(example: string, defaultEpochs: number): ExampleOptions {
  const { values } = parseArgs({ options: { epochs: { type: 'string' }, out: { type: 'string' } }, strict: true });
  const epochs = values.epochs === undefined ? defaultEpochs : Number(values.epochs);
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs must be a positive integer, received '${values.epochs}'`);
  return { epochs, out: values.out ?? `output/${example}` };
}
