import { MAX_OPERATION_NAMES, OperationNames, operationOfSource } from './operation-names';
import { statementName } from './db-spans';

describe('operation labels', () => {
  it('keeps the first names, then counts the rest as "other"; unnamed is "anonymous"', () => {
    const names = new OperationNames(3);
    expect(['A', 'B', 'C', 'D', 'A', undefined, null, ''].map((n) => names.label(n))).toEqual([
      'A',
      'B',
      'C',
      'other',
      'A',
      'anonymous',
      'anonymous',
      'anonymous',
    ]);
    expect(new OperationNames().label('x'.repeat(101))).toBe('other');
    expect(new OperationNames().label('a b')).toBe('other');
    expect(MAX_OPERATION_NAMES).toBe(200);
  });

  it('reads the operation of a document without parsing it', () => {
    expect(operationOfSource('query Province($code: String!) { unitByCode(code: $code) { name } }', undefined)).toEqual({ name: 'Province', type: 'query' });
    expect(operationOfSource('# a comment\n  mutation { setTarget }', null)).toEqual({ name: undefined, type: 'mutation' });
    expect(operationOfSource('{ ministry { name } }', undefined)).toEqual({ name: undefined, type: 'query' });
    expect(operationOfSource('query A { a } query B { b }', 'B')).toEqual({ name: 'B', type: 'query' });
    expect(operationOfSource(undefined, undefined)).toEqual({ name: undefined, type: 'unknown' });
  });
});

describe('statement names in traces', () => {
  it('names a statement by its verb and first table, never its values', () => {
    expect(statementName('SELECT id, name FROM org_units.org_unit WHERE id = ANY($1)')).toBe('SELECT org_units.org_unit');
    expect(statementName(`INSERT INTO "cases"."case_event" (unit_id) VALUES ($1)`)).toBe('INSERT cases.case_event');
    expect(statementName('update cases.case_month set done = done + $1')).toBe('UPDATE cases.case_month');
    expect(statementName("SELECT 1 AS ok WHERE 'secret' = 'secret'")).toBe('SELECT');
    expect(statementName('BEGIN')).toBe('BEGIN');
  });
});
