import { ErrorCode, userError } from '../graphql/errors';
import { parseLocalDate } from '../time/local-date';
import { tooLarge, tooManyDigits } from './money-ceiling';

/** One line of an import file: its number (1-based, header excluded for CSV) and fields. */
export interface EventRecord {
  line: number;
  fields: Record<string, string | number | boolean | string[] | null>;
}

export function rejectLine(line: number, message: string, details: Record<string, unknown> = {}): never {
  throw userError(ErrorCode.IMPORT_REJECTED, `Line ${line}: ${message} Nothing was imported.`, { line, ...details });
}

/** Splits one CSV line; fields may be quoted with "" for a quote inside. */
function splitCsv(text: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

/** The format of an import file, from its name: `.csv` is CSV, anything else NDJSON. */
export function eventFormatOf(name: string): 'ndjson' | 'csv' {
  return /\.csv$/i.test(name) ? 'csv' : 'ndjson';
}

/**
 * Reads an NDJSON (one JSON object a line) or CSV (a header line naming the fields) file one
 * line at a time, so that a reader can stream the file instead of holding its text whole.
 * In CSV, `categories` is separated by ";", and an empty field is absent.
 */
export class EventLineParser {
  readonly records: EventRecord[] = [];
  private header: string[] | undefined;

  constructor(private readonly format: 'ndjson' | 'csv') {}

  /** One line of the file (1-based number), without its line break. */
  push(raw: string, line: number): void {
    if (this.format === 'csv' && this.header === undefined) {
      this.header = splitCsv(raw).map((h) => h.trim());
      if (!this.header.includes('event')) rejectLine(line, 'the CSV header must name the fields, among them "event".');
      return;
    }
    if (!raw.trim()) return;
    if (this.format === 'ndjson') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        rejectLine(line, 'not a JSON object; each line of an NDJSON file is one event object.');
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) rejectLine(line, 'not a JSON object.');
      this.records.push({ line, fields: parsed as EventRecord['fields'] });
      return;
    }
    const values = splitCsv(raw);
    const fields: EventRecord['fields'] = {};
    this.header!.forEach((name, j) => {
      const v = values[j]?.trim();
      if (v === undefined || v === '') return;
      fields[name] =
        name === 'categories'
          ? v
              .split(';')
              .map((s) => s.trim())
              .filter(Boolean)
          : v;
    });
    this.records.push({ line, fields });
  }

  /** The records, once every line was pushed (an empty CSV lacks its header). */
  finish(): EventRecord[] {
    if (this.format === 'csv' && this.header === undefined) this.push('', 1);
    return this.records;
  }
}

/** Parses a whole text (tests, small inputs); files are streamed by `readEventFile`. */
export function parseEventText(text: string, format: 'ndjson' | 'csv'): EventRecord[] {
  const parser = new EventLineParser(format);
  text.split(/\r?\n/).forEach((raw, i) => parser.push(raw, i + 1));
  return parser.finish();
}

/** Field readers that reject a line with a message saying what is wrong. */
export const field = {
  string(r: EventRecord, name: string): string {
    const v = r.fields[name];
    if (typeof v !== 'string' || !v.trim()) rejectLine(r.line, `"${name}" is missing or not text.`, { field: name });
    return v;
  },
  id(r: EventRecord, name: string): string {
    const v = r.fields[name];
    // A JSON number past 2^53 has already lost its last digits when parsed: such ids come as text.
    if (Number.isInteger(v) && !Number.isSafeInteger(v))
      rejectLine(
        r.line,
        `"${name}" ${JSON.stringify(v)} is too large for a JSON number to carry exactly; write it as text, e.g. "${name}": "12345678901234567".`,
        {
          field: name,
        },
      );
    const text = typeof v === 'number' ? String(v) : v;
    if (typeof text !== 'string' || !/^\d{1,18}$/.test(text) || /^0+$/.test(text))
      rejectLine(r.line, `"${name}" must be a positive whole number, got ${JSON.stringify(v)}.`, { field: name });
    return text.replace(/^0+/, '');
  },
  int(r: EventRecord, name: string, min: number, max: number): number {
    const v = r.fields[name];
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < min || n > max)
      rejectLine(r.line, `"${name}" must be a whole number ${min}–${max}, got ${JSON.stringify(v)}.`, { field: name });
    return n;
  },
  date(r: EventRecord, name = 'date'): string {
    try {
      return parseLocalDate(r.fields[name]);
    } catch (err) {
      return rejectLine(r.line, (err as Error).message, { field: name });
    }
  },
  /** VND: a whole, non-negative number of dong, as digits (or a safe JSON integer); its ceiling is the writer's to check. */
  vnd(r: EventRecord, name = 'amount'): bigint {
    const v = r.fields[name];
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
    if (typeof v === 'string' && /^\d+$/.test(v)) {
      if (tooManyDigits(v)) throw tooLarge(name, undefined, r.line);
      return BigInt(v);
    }
    return rejectLine(
      r.line,
      `"${name}" must be a whole, non-negative number of dong written with digits only (no decimals, signs or separators), got ${JSON.stringify(v)}.`,
      { field: name },
    );
  },
  oneOf<T extends string>(r: EventRecord, name: string, values: readonly T[]): T {
    const v = r.fields[name];
    if (typeof v !== 'string' || !values.includes(v as T))
      rejectLine(r.line, `"${name}" must be one of ${values.join(', ')}, got ${JSON.stringify(v)}.`, { field: name });
    return v as T;
  },
  list(r: EventRecord, name: string): string[] {
    const v = r.fields[name];
    if (v === undefined || v === null) return [];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
    if (typeof v === 'string')
      return v
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean);
    return rejectLine(r.line, `"${name}" must be a list of names.`, { field: name });
  },
};
