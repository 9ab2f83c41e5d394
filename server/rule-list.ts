/**
 * Serves the signed rule list an admin built with the CLI, and its detached signature
 * (`<file>.sig`), with a strong ETag so thousands of browsers polling cost a 304 each. The file
 * is re-read when its size or modification time changes, so publishing a new list is copying
 * the two files into place (copy the .sig last; a browser that fetches in between sees a
 * signature that does not verify, keeps its last good list and tries again later).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';

export interface ServedFile {
  body: Buffer;
  etag: string;
}

export class WatchedFile {
  private cached: { mtimeMs: number; size: number; file: ServedFile } | null = null;

  constructor(readonly filePath: string) {}

  /** The current bytes and ETag, or null when the file does not exist. */
  async get(): Promise<ServedFile | null> {
    let stat: Awaited<ReturnType<typeof fs.stat>>;
    try {
      stat = await fs.stat(this.filePath);
    } catch {
      this.cached = null;
      return null;
    }
    if (this.cached && this.cached.mtimeMs === stat.mtimeMs && this.cached.size === stat.size) {
      return this.cached.file;
    }
    const body = await fs.readFile(this.filePath);
    const etag = `"sha256-${createHash('sha256').update(body).digest('base64url')}"`;
    const file = { body, etag };
    this.cached = { mtimeMs: stat.mtimeMs, size: stat.size, file };
    return file;
  }
}

/** True when an If-None-Match header lists this ETag (or `*`). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*');
}
