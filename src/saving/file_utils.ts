/**
 * Whole-or-nothing file writes: the content goes to a temporary file in the target's folder,
 * which is then renamed over the target, so a crash or an error while saving never leaves a
 * broken file under the target name nor destroys the previous one.
 */
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/** A fresh temporary path beside `target` (same folder, so the final rename is atomic). */
export function tempPathBeside(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${counter++}.tmp`);
}

/**
 * Runs `write(tempPath)` and renames the temporary file onto `target` when it succeeds; on
 * failure the temporary file is removed and the error rethrown.
 */
export async function writeAtomically(target: string, write: (tempPath: string) => void | Promise<void>): Promise<void> {
  const temp = tempPathBeside(target);
  try {
    await write(temp);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** The bytes of `source`: read from the path, or the buffer itself. `label` names it in errors. */
export function readSource(source: string | Uint8Array | ArrayBuffer): { bytes: Uint8Array; label: string } {
  if (typeof source !== 'string') {
    return { bytes: source instanceof Uint8Array ? source : new Uint8Array(source), label: '<in-memory file>' };
  }
  try {
    return { bytes: readFileSync(source), label: source };
  } catch (error) {
    throw new Error(`No file or directory found at ${source} (${(error as Error).message})`);
  }
}
