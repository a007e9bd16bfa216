/**
 * SVG building blocks for the plots: each function returns one element as a string, with
 * coordinates in pixels of the final PNG (the SVG is rendered at 72 dpi, one unit per pixel).
 */

/** The font every label is drawn in; fontconfig finds it on the machine that renders. */
export const FONT_FAMILY = 'DejaVu Sans';

export interface TextStyle {
  /** Font size in pixels (default 13). */
  size?: number;
  anchor?: 'start' | 'middle' | 'end';
  bold?: boolean;
  fill?: string;
  /** Degrees clockwise around the anchor point. */
  rotate?: number;
  /** Vertical placement relative to `y` (default: `y` is the baseline). */
  baseline?: 'alphabetic' | 'middle' | 'hanging';
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * An estimate of the width of `s` in DejaVu Sans at `size` pixels, generous enough to lay out
 * cells and margins (the font's average advance is about 0.6 em for mixed text).
 */
export function textWidth(s: string, size: number): number {
  return Math.ceil([...s].length * size * 0.62);
}

export function text(x: number, y: number, content: string, style: TextStyle = {}): string {
  const { size = 13, anchor = 'start', bold = false, fill = '#000', rotate = 0, baseline = 'alphabetic' } = style;
  const attributes = [
    `x="${x}" y="${y}"`,
    `font-family="${FONT_FAMILY}" font-size="${size}"`,
    `fill="${fill}" text-anchor="${anchor}" dominant-baseline="${baseline}"`,
    bold ? 'font-weight="bold"' : '',
    rotate ? `transform="rotate(${rotate} ${x} ${y})"` : '',
  ];
  return `<text ${attributes.filter(Boolean).join(' ')}>${escapeXml(content)}</text>`;
}

export function rect(x: number, y: number, width: number, height: number, fill: string, stroke = 'none'): string {
  return `<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="${fill}" stroke="${stroke}" ` +
    'shape-rendering="crispEdges"/>';
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke = '#000', width = 1): string {
  return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${stroke}" stroke-width="${width}" ` +
    'shape-rendering="crispEdges"/>';
}

export function polyline(points: readonly (readonly [number, number])[], stroke: string, width = 2): string {
  const coordinates = points.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join(' ');
  return `<polyline points="${coordinates}" fill="none" stroke="${stroke}" stroke-width="${width}" ` +
    'stroke-linejoin="round" stroke-linecap="round"/>';
}

/** A whole document on a white background. */
export function svgDocument(width: number, height: number, elements: readonly string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}">\n${rect(0, 0, width, height, '#fff')}\n${elements.join('\n')}\n</svg>\n`;
}

export function circle(cx: number, cy: number, r: number, fill: string): string {
  return `<circle cx="${cx.toFixed(2)}" cy="${cy.toFixed(2)}" r="${r}" fill="${fill}"/>`;
}
