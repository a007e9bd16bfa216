/**
 * What a terminal shows for text written to it: '\r' returns to the start of the line, '\b' steps
 * back one column, later characters overwrite earlier ones, and ANSI colour codes show nothing.
 * Keras's progress bar redraws itself this way; where there is no terminal (a browser), this
 * turns its output into the lines a terminal would show.
 *
 * Args:
 *   onLine: Called with each line once it ends with '\n'.
 *   keep: How many finished lines `lines` holds (the oldest go first).
 *
 * Example:
 *
 * ```ts
 * const screen = new keras.utils.TextScreen();
 * const logger = new keras.callbacks.ProgbarLogger({ write: (text) => {
 *   screen.write(text);
 *   pre.textContent = screen.toString();
 * } });
 * ```
 */
export class TextScreen {
  /** The finished lines, oldest first. */
  readonly lines: string[] = [];
  private line = '';
  private column = 0;

  constructor(private readonly onLine: (line: string) => void = () => {}, private readonly keep = 10_000) {}

  write(text: string): void {
    for (const char of text.replace(/\x1b\[[0-9;]*m/g, '')) {
      if (char === '\n') {
        this.onLine(this.line);
        this.lines.push(this.line);
        if (this.lines.length > this.keep) this.lines.shift();
        this.line = '';
        this.column = 0;
      } else if (char === '\r') {
        this.column = 0;
      } else if (char === '\b') {
        this.column = Math.max(0, this.column - 1);
      } else {
        this.line = this.line.slice(0, this.column) + char + this.line.slice(this.column + 1);
        this.column++;
      }
    }
  }

  /** The screen: the finished lines and the one being written. */
  toString(): string {
    return [...this.lines, this.line].join('\n');
  }
}
