import { readDeadLetter, type ReadLetter } from './dead-letter';

/**
 * Dead letters as a log export wraps them. SCF writes each stdout line of the function to CLS as
 * the `SCF_Message` field of a log entry (Tencent, "日志结构说明", cloud.tencent.com/document/product/583/60336),
 * and CLS exports entries as JSON (one object per line, our line escaped in a string field) or
 * CSV (a header row, then rows whose quoted fields double their quotes) (`CreateExport`,
 * `Format`: json | csv, intl.cloud.tencent.com/document/product/614/42798). Any field holding a
 * dead-letter line is read, whatever it is named (`SCF_Message`, `__CONTENT__`, `content`).
 */
export function findLetterInExport(line: string, parsed: unknown): ReadLetter | undefined {
  const fields =
    parsed !== null && typeof parsed === 'object' ? Object.values(parsed) : parsed === undefined ? csvFields(line) : [];
  for (const field of fields) {
    const letter = typeof field === 'string' ? letterIn(field) : undefined;
    if (letter) return letter;
  }
  return undefined;
}

function letterIn(text: string): ReadLetter | undefined {
  const start = text.indexOf('{');
  if (start < 0 || !text.includes('"payload"')) return undefined;
  try {
    return readDeadLetter(JSON.parse(text.slice(start)));
  } catch {
    return undefined;
  }
}

/** The fields of one CSV record (RFC 4180: `,` separated, `"` quoted, `""` inside quotes). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        const close = line.indexOf('"', j);
        if (close < 0) return [...fields, value + line.slice(j)];
        value += line.slice(j, close);
        if (line[close + 1] === '"') {
          value += '"';
          j = close + 2;
        } else {
          j = close + 1;
          break;
        }
      }
      fields.push(value);
      const comma = line.indexOf(',', j);
      i = comma < 0 ? line.length + 1 : comma + 1;
    } else {
      const comma = line.indexOf(',', i);
      fields.push(line.slice(i, comma < 0 ? line.length : comma));
      i = comma < 0 ? line.length + 1 : comma + 1;
    }
  }
  return fields;
}
