/** One column of a terminal table: its header, how to read a row's cell, and how wide it may get. */
export interface Column<Row> {
  header: string;
  cell(row: Row): string | number | null;
  /** Longer cells are cut to this width, ending in `…`. */
  maxWidth?: number;
  /** When the table is fitted to a width, this column is not cut below this. @defaultvalue 4 */
  minWidth?: number;
  align?: 'left' | 'right';
}

const DEFAULT_MAX_WIDTH = 40;
const GAP = '  ';

/**
 * Stored strings come from the network: control characters (ANSI escapes, newlines) are shown
 * as `?` so a payload can neither break the layout nor drive the terminal.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** Columns a character takes in a terminal: East Asian wide and full-width characters take two. */
function charWidth(codePoint: number): number {
  const wide =
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1faff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd);
  return wide ? 2 : 1;
}

const widthOf = (text: string): number => [...text].reduce((sum, char) => sum + charWidth(char.codePointAt(0)!), 0);

/** The text cut to `maxWidth` terminal columns, ending in `…` when cut. */
export function truncate(text: string, maxWidth: number): string {
  if (widthOf(text) <= maxWidth) return text;
  let out = '';
  let width = 0;
  for (const char of text) {
    const next = width + charWidth(char.codePointAt(0)!);
    if (next > maxWidth - 1) break;
    out += char;
    width = next;
  }
  return `${out}…`;
}

const pad = (text: string, width: number, align: 'left' | 'right' = 'left') => {
  const fill = ' '.repeat(Math.max(0, width - widthOf(text)));
  return align === 'right' ? fill + text : text + fill;
};

/** Narrowest a column gets by default when the table is fitted to a width: three characters and the `…`. */
const MIN_FITTED_WIDTH = 4;

/** Narrows the widest columns, one character at a time, until the line fits `total` (or none can give more). */
function fitWidths(widths: number[], minima: number[], total: number): number[] {
  const fitted = [...widths];
  const lineWidth = () => fitted.reduce((sum, width) => sum + width, 0) + GAP.length * (fitted.length - 1);
  while (lineWidth() > total) {
    const shrinkable = fitted.map((width, i) => (width > minima[i]! ? i : -1)).filter((i) => i >= 0);
    if (shrinkable.length === 0) break;
    const widest = shrinkable.reduce((best, i) => (fitted[i]! > fitted[best]! ? i : best));
    fitted[widest]! -= 1;
  }
  return fitted;
}

/**
 * Rows as aligned text: a header line, a rule, one line per row; empty cells show as `-`.
 * With `width` (a terminal's columns), the widest columns are cut further so no line wraps.
 */
export function renderTable<Row>(
  columns: readonly Column<Row>[],
  rows: readonly Row[],
  options: { width?: number } = {},
): string {
  const cells = rows.map((row) =>
    columns.map((column) => {
      const value = column.cell(row);
      const text = value === null || value === '' ? '-' : String(value).replace(CONTROL, '?');
      return truncate(text, column.maxWidth ?? DEFAULT_MAX_WIDTH);
    }),
  );
  const natural = columns.map((column, i) => Math.max(widthOf(column.header), ...cells.map((line) => widthOf(line[i]!))));
  const minima = columns.map((column) => column.minWidth ?? MIN_FITTED_WIDTH);
  const widths = options.width === undefined ? natural : fitWidths(natural, minima, options.width);
  const line = (texts: string[]) =>
    texts
      .map((text, i) => pad(truncate(text, widths[i]!), widths[i]!, columns[i]!.align))
      .join(GAP)
      .trimEnd();
  return [line(columns.map((column) => column.header)), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join(
    '\n',
  );
}
