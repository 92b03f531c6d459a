/**
 * Where the bytes of files live, behind a small interface (a folder today; an object store could take its
 * place). A file arrives as a stream into a temporary name, counted and hashed as it passes (never held whole
 * in memory); past its limit nothing more is written and the rest is read and dropped, so that the browser,
 * still sending, receives the refusal (an answer sent before the body is read reaches it as a broken
 * connection, or not at all). A kept file is synced to disk, then renamed to its random id. A failure at any
 * step removes what was written.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export const FILE_ID = /^[A-Za-z0-9_-]{22}$/;

/** A file received into its temporary place, not yet kept. */
export interface Received {
  tempPath: string;
  size: number;
  sha256: string;
}

export class TooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super('fichier trop volumineux');
  }
}

export interface FileStore {
  /** Streams `source` into a temporary file; rejects with TooLarge past `maxBytes` (nothing left behind). */
  receive(source: Readable, maxBytes: number): Promise<Received>;
  /** Keeps a received file under a new random id (synced, then renamed); returns the id. */
  keep(received: Received): Promise<string>;
  /** Forgets a received file that will not be kept. */
  discard(received: Received): Promise<void>;
  read(id: string): Readable;
  /** Removes a kept file; a file already gone is not an error. */
  remove(id: string): Promise<void>;
}

export const newFileId = () => randomBytes(16).toString('base64url');

/** Passes and hashes the first `maxBytes`; past them, drops everything and says so in `counted.over`. */
function limitAndHash(maxBytes: number, hash: ReturnType<typeof createHash>, counted: { size: number; over: boolean }) {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      counted.size += chunk.length;
      if (counted.over || counted.size > maxBytes) {
        counted.over = true;
        return callback();
      }
      hash.update(chunk);
      return callback(null, chunk);
    },
  });
}

/** Where a file of the store lives: `<dir>/<two first characters of the id>/<id>`. */
export function storedPath(dir: string, id: string): string {
  if (!FILE_ID.test(id)) throw new Error('identifiant de fichier invalide');
  return join(dir, id.slice(0, 2), id);
}

/** Files in a folder, at their storedPath; temporary ones in `<dir>/tmp`. */
export function folderStore(dir: string): FileStore {
  const pathOf = (id: string) => storedPath(dir, id);
  return {
    async receive(source, maxBytes) {
      await mkdir(join(dir, 'tmp'), { recursive: true });
      const tempPath = join(dir, 'tmp', `${newFileId()}.part`);
      const hash = createHash('sha256');
      const counted = { size: 0, over: false };
      try {
        await pipeline(source, limitAndHash(maxBytes, hash, counted), createWriteStream(tempPath, { flags: 'wx' }));
        if (counted.over) throw new TooLarge(maxBytes);
        // Durable before it is named: a crash after the rename never leaves a half-written file under an id.
        const handle = await open(tempPath, 'r');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
      } catch (error) {
        await rm(tempPath, { force: true });
        throw error;
      }
      return { tempPath, size: counted.size, sha256: hash.digest('hex') };
    },
    async keep(received) {
      const id = newFileId();
      const target = pathOf(id);
      await mkdir(join(dir, id.slice(0, 2)), { recursive: true });
      try {
        await rename(received.tempPath, target);
      } catch (error) {
        await rm(received.tempPath, { force: true });
        throw error;
      }
      return id;
    },
    discard: (received) => rm(received.tempPath, { force: true }),
    read: (id) => createReadStream(pathOf(id)),
    remove: (id) => rm(pathOf(id), { force: true }),
  };
}
