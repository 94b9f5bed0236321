import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { GraphQLError } from 'graphql';
import { parseEventText } from './event-file';
import { forEachLine, importPathParts, readEventFile, type ImportFolder } from './import-folder';

/** The error a promise rejects with (fails the test when it resolves). */
async function refusal(promise: Promise<unknown>): Promise<GraphQLError> {
  try {
    await promise;
  } catch (err) {
    return err as GraphQLError;
  }
  throw new Error('expected a refusal');
}

describe('readEventFile', () => {
  let root: string;
  let folder: ImportFolder;
  const LINE = '{"event":"CASE_RECEIVED","caseId":"1","unitId":"2","date":"2025-08-01","judgmentRef":"1/2025"}';

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'thads-import-folder-'));
    folder = { dir: join(root, 'imports'), maxBytes: 4096 };
    mkdirSync(join(folder.dir, 'sub'), { recursive: true });
    writeFileSync(join(root, 'secret.ndjson'), `${LINE}\n`);
    writeFileSync(join(folder.dir, 'ok.ndjson'), `${LINE}\r\n\r\n${LINE}\n`);
    writeFileSync(join(folder.dir, 'sub', 'ok.csv'), 'event,caseId,date\nCASE_COMPLETED,1,2025-08-02\n');
    writeFileSync(join(folder.dir, 'big.ndjson'), `${LINE}\n`.repeat(100));
    writeFileSync(join(folder.dir, 'bad.ndjson'), `${LINE}\n\n[1]\n`);
    symlinkSync(join(root, 'secret.ndjson'), join(folder.dir, 'link.ndjson'));
    symlinkSync(root, join(folder.dir, 'up'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads NDJSON and CSV line by line as the whole-text parser does, with the same line numbers', async () => {
    const records = await readEventFile(folder, 'ok.ndjson');
    expect(records.map((r) => r.line)).toEqual([1, 3]);
    expect(records).toEqual(parseEventText(`${LINE}\r\n\r\n${LINE}\n`, 'ndjson'));
    expect(await readEventFile(folder, 'sub/ok.csv')).toEqual([{ line: 2, fields: { event: 'CASE_COMPLETED', caseId: '1', date: '2025-08-02' } }]);
  });

  it('names the line of a line it cannot read', async () => {
    const err = await refusal(readEventFile(folder, 'bad.ndjson'));
    expect(err.extensions).toMatchObject({ code: 'IMPORT_REJECTED', line: 3 });
    expect(err.message).toMatch(/^Line 3: /);
  });

  it('refuses a file over the cap, naming the cap', async () => {
    const err = await refusal(readEventFile(folder, 'big.ndjson'));
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'FILE_TOO_LARGE', maxBytes: 4096 });
    expect(err.message).toMatch(/4096 bytes, IMPORT_MAX_BYTES/);
  });

  it('refuses symbolic links, to a file or on the way to one', async () => {
    for (const path of ['link.ndjson', 'up/secret.ndjson', './up/imports/ok.ndjson']) {
      const err = await refusal(readEventFile(folder, path));
      expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'SYMBOLIC_LINK' });
    }
  });

  it('refuses absolute paths and "..", and never shows the folder’s own path', async () => {
    const messages: string[] = [];
    for (const path of ['../secret.ndjson', 'sub/../../secret.ndjson', '..\\secret.ndjson', join(root, 'secret.ndjson'), '/etc/passwd', 'C:\\x.ndjson']) {
      const err = await refusal(readEventFile(folder, path));
      expect(err.extensions?.code).toBe('BAD_USER_INPUT');
      messages.push(err.message, JSON.stringify(err.extensions));
    }
    for (const path of ['missing.ndjson', 'sub', 'sub/missing/x.ndjson']) {
      const err = await refusal(readEventFile(folder, path));
      expect(err.message).toBe(`No readable file "${path}" in the import folder.`);
      messages.push(err.message, JSON.stringify(err.extensions));
    }
    for (const m of messages) expect(m).not.toContain(root);
  });

  it('splits a path into its parts, refusing what is not a name inside the folder', () => {
    expect(importPathParts('./sub//ok.csv')).toEqual(['sub', 'ok.csv']);
    for (const path of ['', ' ', '.', 'a\0b', '/x', '\\x', 'a/../b']) expect(() => importPathParts(path)).toThrow();
  });
});

describe('forEachLine', () => {
  it('joins lines across chunks, a character split between two chunks included', async () => {
    const text = Buffer.from('ắa\r\nb\n\nđ');
    const chunks = [text.subarray(0, 1), text.subarray(1, 5), text.subarray(5)];
    const lines: [string, number][] = [];
    let bytes = 0;
    await forEachLine(
      Readable.from(chunks),
      (c) => (bytes += c.length),
      (line, n) => lines.push([line, n]),
    );
    expect(lines).toEqual([
      ['ắa', 1],
      ['b', 2],
      ['', 3],
      ['đ', 4],
    ]);
    expect(bytes).toBe(text.length);
  });
});
