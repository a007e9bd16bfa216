import type { Model } from '../models/model.js';
import type { SummaryOptions } from '../utils/summary.js';

/**
 * model.summary() as text, as printed on a terminal `columns` wide (the reference captures
 * were made at 200 and 80 columns; the width only matters through its cap on the line length).
 */
export function summaryAt(model: Model, columns: number, options: SummaryOptions = {}): string {
  const saved = process.env.COLUMNS;
  process.env.COLUMNS = String(columns);
  try {
    let text = '';
    model.summary({ ...options, printFn: (t) => (text = t) });
    return text;
  } finally {
    if (saved === undefined) delete process.env.COLUMNS;
    else process.env.COLUMNS = saved;
  }
}
