/** One column of a terminal table: its header, how to read a row's cell, and how wide it may get. */
export interface Column<Row> {
  header: string;
  cell(row: Row): string | number | null;
  /** Longer cells are cut to this width, ending in `…`. */
  maxWidth?: number;
  align?: 'left' | 'right';
}

const DEFAULT_MAX_WIDTH = 40;
const GAP = '  ';

/**
 * Stored strings come from the network: control characters (ANSI escapes, newlines) are shown
 * as `?` so a payload can neither break the layout nor drive the terminal.
 */
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

function truncate(text: string, maxWidth: number): string {
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

/** Rows as aligned text: a header line, a rule, one line per row; empty cells show as `-`. */
export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const cells = rows.map((row) =>
    columns.map((column) => {
      const value = column.cell(row);
      const text = value === null || value === '' ? '-' : String(value).replace(CONTROL, '?');
      return truncate(text, column.maxWidth ?? DEFAULT_MAX_WIDTH);
    }),
  );
  const widths = columns.map((column, i) => Math.max(widthOf(column.header), ...cells.map((line) => widthOf(line[i]!))));
  const line = (texts: string[]) =>
    texts
      .map((text, i) => pad(text, widths[i]!, columns[i]!.align))
      .join(GAP)
      .trimEnd();
  return [
    line(columns.map((column) => column.header)),
    line(widths.map((width) => '-'.repeat(width))),
    ...cells.map(line),
  ].join('\n');
}
