import { constants, type Stats } from 'node:fs';
import { lstat, open, readlink, realpath, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, win32 } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { ErrorCode, userError } from '../graphql/errors';
import { EventLineParser, eventFormatOf, type EventRecord } from './event-file';

/** The largest import file read when IMPORT_MAX_BYTES is unset: 50 MiB, some 500,000 lines. */
export const DEFAULT_IMPORT_MAX_BYTES = 50 * 1024 * 1024;

/** Where the import mutations read files from, and how large a file they take. */
export interface ImportFolder {
  dir: string;
  maxBytes: number;
}

/** The import folder of a service's settings (IMPORT_DIR, IMPORT_MAX_BYTES). */
export function importFolderOf(config: { IMPORT_DIR: string; IMPORT_MAX_BYTES?: number }): ImportFolder {
  return { dir: config.IMPORT_DIR, maxBytes: config.IMPORT_MAX_BYTES ?? DEFAULT_IMPORT_MAX_BYTES };
}

const bad = (message: string, details: Record<string, unknown> = {}) => userError(ErrorCode.BAD_USER_INPUT, message, details);

/** The `reason` of the error for a name that is not a readable file in the import folder. */
export const FILE_NOT_FOUND = 'FILE_NOT_FOUND';

const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;

function tooLarge(name: string, maxBytes: number) {
  return bad(
    `"${name}" is larger than the ${mib(maxBytes)} (${maxBytes} bytes, IMPORT_MAX_BYTES) an import takes; split it into smaller files. Nothing was imported.`,
    {
      reason: 'FILE_TOO_LARGE',
      maxBytes,
    },
  );
}

/**
 * The parts of a name inside the import folder. Absolute paths and ".." are refused outright
 * (not resolved and compared): what the caller names must read as a place in the folder.
 * Messages never repeat an absolute path, which would be the server's.
 */
export function importPathParts(path: string): string[] {
  if (typeof path !== 'string' || !path.trim() || path.includes('\0')) throw bad('Give the name of a file in the import folder, e.g. events.ndjson.');
  if (isAbsolute(path) || win32.isAbsolute(path) || /^[\\/]/.test(path))
    throw bad('The import path must be a name inside the import folder (e.g. events.ndjson), not an absolute path.', { reason: 'ABSOLUTE_PATH' });
  const parts = path.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw bad('The import path must not contain "..": give the name of a file inside the import folder.', { reason: 'OUTSIDE_FOLDER' });
  if (parts.length === 0) throw bad('Give the name of a file in the import folder, e.g. events.ndjson.');
  return parts;
}

/**
 * Opens a plain file inside the folder without following a symbolic link anywhere on the
 * way: each part is looked at with lstat, the file is opened with O_NOFOLLOW, and (where
 * /proc tells) the opened file's real path must be the one checked, so that a part swapped
 * for a link between the checks and the open is caught too.
 */
async function openInside(dir: string, parts: string[]): Promise<{ handle: FileHandle; size: number }> {
  const name = parts.join('/');
  const missing = () => bad(`No readable file "${name}" in the import folder.`, { path: name, reason: FILE_NOT_FOUND });
  const root = await realpath(dir).catch(() => {
    throw missing();
  });
  let full = root;
  let last: Stats | undefined;
  for (const [i, part] of parts.entries()) {
    full = join(full, part);
    last = await lstat(full).catch(() => {
      throw missing();
    });
    if (last.isSymbolicLink())
      throw bad(`"${parts.slice(0, i + 1).join('/')}" is a symbolic link; the import folder takes plain files only.`, { path: name, reason: 'SYMBOLIC_LINK' });
    if (i < parts.length - 1 ? !last.isDirectory() : !last.isFile()) throw missing();
  }
  const handle = await open(full, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'ELOOP'
      ? bad(`"${name}" is a symbolic link; the import folder takes plain files only.`, { path: name, reason: 'SYMBOLIC_LINK' })
      : missing();
  });
  try {
    const opened = await handle.stat();
    const real = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => full);
    if (!opened.isFile() || opened.ino !== last!.ino || opened.dev !== last!.dev || real !== full)
      throw bad(`"${name}" changed while it was opened; the import folder takes plain files only.`, { path: name, reason: 'SYMBOLIC_LINK' });
    return { handle, size: opened.size };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/**
 * Reads an import file from the import folder, line by line: the text is never held whole,
 * and a file over the folder's byte cap is refused before it is read (and, should it grow
 * meanwhile, as soon as the cap is passed). Call it only once the caller may import at all,
 * so that nobody else learns which files exist. `digest` is given every byte read (a hash of
 * the file, for an import made once a key).
 */
export async function readEventFile(folder: ImportFolder, path: string, digest?: { update(chunk: Buffer): unknown }): Promise<EventRecord[]> {
  const parts = importPathParts(path);
  const name = parts.join('/');
  const { handle, size } = await openInside(folder.dir, parts);
  try {
    if (size > folder.maxBytes) throw tooLarge(name, folder.maxBytes);
    const parser = new EventLineParser(eventFormatOf(name));
    let bytes = 0;
    await forEachLine(
      handle.createReadStream({ autoClose: false, highWaterMark: 64 * 1024 }),
      (chunk) => {
        bytes += chunk.length;
        if (bytes > folder.maxBytes) throw tooLarge(name, folder.maxBytes);
        digest?.update(chunk);
      },
      (line, n) => parser.push(line, n),
    );
    return parser.finish();
  } finally {
    await handle.close();
  }
}

/**
 * Calls `onLine` for each line of a UTF-8 byte stream (numbered from 1, without "\n" or
 * "\r\n"), `onChunk` for each chunk before its lines: what the whole-text split did, in
 * memory bounded by the longest line.
 */
export async function forEachLine(
  stream: AsyncIterable<Buffer | string>,
  onChunk: (chunk: Buffer) => void,
  onLine: (line: string, n: number) => void,
): Promise<void> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let n = 0;
  const emit = (line: string) => onLine(line.endsWith('\r') ? line.slice(0, -1) : line, ++n);
  for await (const raw of stream) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    onChunk(chunk);
    pending += decoder.write(chunk);
    let at = pending.indexOf('\n');
    let from = 0;
    while (at !== -1) {
      emit(pending.slice(from, at));
      from = at + 1;
      at = pending.indexOf('\n', from);
    }
    pending = pending.slice(from);
  }
  pending += decoder.end();
  emit(pending);
}
