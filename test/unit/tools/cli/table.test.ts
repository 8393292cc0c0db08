import { describe, expect, it } from 'vitest';
import { renderTable, type Column } from '../../../../tools/cli/table';

interface Row {
  name: string | null;
  count: number;
}

const columns: Column<Row>[] = [
  { header: 'NAME', cell: (row) => row.name, maxWidth: 8 },
  { header: 'COUNT', cell: (row) => row.count, align: 'right' },
];

describe('renderTable', () => {
  it('aligns columns under a header and a rule, numbers to the right', () => {
    expect(
      renderTable(columns, [
        { name: 'upload', count: 3 },
        { name: 'pull', count: 120 },
      ]).split('\n'),
    ).toEqual(['NAME    COUNT', '------  -----', 'upload      3', 'pull      120']);
  });

  it('cuts long cells to the column width with an ellipsis and shows empty cells as -', () => {
    const lines = renderTable(columns, [
      { name: 'ProcedureStateChanged', count: 1 },
      { name: null, count: 2 },
    ]).split('\n');

    expect(lines[2]).toBe('Procedu…      1');
    expect(lines[3]).toBe('-             2');
  });

  it('counts wide characters as two columns', () => {
    const lines = renderTable(columns, [
      { name: '视频上传完成事件', count: 1 },
      { name: 'ok', count: 2 },
    ]).split('\n');

    // 视频上 is six columns wide; with the ellipsis the column is 7 wide, so "ok" gets 5 spaces.
    expect(lines[2]).toBe('视频上…      1');
    expect(lines[3]).toBe('ok' + ' '.repeat(5) + '      2');
  });

  it('neutralises control characters so stored text cannot drive the terminal', () => {
    const [, , line] = renderTable(columns, [{ name: 'a\u001b[2Jb\nc', count: 1 }]).split('\n');

    expect(line).toBe('a?[2Jb?c      1');
  });

  it('fits a terminal width: the widest columns are cut further, no line is longer', () => {
    const wide: Column<Row>[] = [
      { header: 'NAME', cell: (row) => row.name, maxWidth: 30 },
      { header: 'OTHER', cell: (row) => row.name, maxWidth: 30 },
      { header: 'COUNT', cell: (row) => row.count, align: 'right' },
    ];
    const rows = [{ name: 'ProcedureStateChangedAndMore', count: 12 }];

    const lines = renderTable(wide, rows, { width: 40 }).split('\n');

    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(40);
    expect(lines[2]).toBe('ProcedureState…  ProcedureStateC…     12');
  });

  it('prints only the header for no rows', () => {
    expect(renderTable(columns, [])).toBe('NAME  COUNT\n----  -----');
  });
});
