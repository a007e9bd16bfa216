/** First byte the engine's arena may use: everything below holds this module's static data. */
export function heap_base(): usize {
  return __heap_base;
}
