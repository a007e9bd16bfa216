/**
 * keras.visualization: the pictures the tutorials draw with matplotlib, written as PNG files
 * (SVG rendered by sharp, text in DejaVu Sans), with no browser or display.
 */
export { plotConfusionMatrix, type PlotConfusionMatrixOptions } from './plot_confusion_matrix.js';
export { plotFilters, type PlotFiltersOptions } from './plot_filters.js';
export { plotHistory, type PlotHistoryOptions } from './plot_history.js';
export { plotImageGallery, type PlotImageGalleryOptions } from './plot_image_gallery.js';
export type { ArrayInput, LabelMap } from './inputs.js';
