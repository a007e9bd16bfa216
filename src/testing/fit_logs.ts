/**
 * Masks what varies from run to run in fit/predict output, as the reference *.masked.txt files
 * do: timings ('0s', '21ms/step', an ETA such as '1:05') become '<T>', and each run of backspaces
 * (the previous line's length) '<BS>'.
 */
export function maskTimings(text: string): string {
  return text
    .replace(/\x08+/g, '<BS>')
    .replace(/\d+(?:s|ms|us)\/step/g, '<T>/step')
    .replace(/\x1b\[1m(?:\d+s|\d+(?::\d\d)+)\x1b\[0m/g, '\x1b[1m<T>\x1b[0m')
    .replace(/ - \d+s - /g, ' - <T> - ');
}
