/**
 * The command-line options of the examples:
 *   --epochs N   shorten (or lengthen) the training run
 *   --out DIR    where pictures and the saved model go (default output/<example>)
 * plus any string options an example declares for itself (`extra`).
 */
import { parseArgs } from 'node:util';

export interface ExampleOptions {
  epochs: number;
  out: string;
  /** The example's own options, by name, as given (undefined when absent). */
  extra: Record<string, string | undefined>;
}

export function exampleOptions(example: string, defaultEpochs: number, extra: readonly string[] = []): ExampleOptions {
  const declared = Object.fromEntries(['epochs', 'out', ...extra].map((name) => [name, { type: 'string' as const }]));
  const { values } = parseArgs({ options: declared, strict: true });
  const strings = values as Record<string, string | undefined>;
  return {
    epochs: strings.epochs === undefined ? defaultEpochs : positiveInteger('--epochs', strings.epochs),
    out: strings.out ?? `output/${example}`,
    extra: Object.fromEntries(extra.map((name) => [name, strings[name]])),
  };
}

export function positiveInteger(option: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${option} must be a positive integer, received '${value}'`);
  return n;
}
