/**
 * Small JSON documents in the server's data folder (the managed list source, its history and
 * the access-request inbox), written atomically: to a temporary file first, then renamed over the
 * old one, so a crash mid-write leaves the old document, never half of a new one. Changes go
 * through one queue per file, so two dashboard clicks cannot interleave.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  mode = 0o644,
): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(tmp, data, { mode });
  await fs.rename(tmp, file);
}

export class JsonState<T> {
  private queue: Promise<unknown> = Promise.resolve();
  private cached: { mtimeMs: number; value: T } | null = null;

  constructor(
    readonly file: string,
    private readonly initial: () => T,
  ) {}

  /** The current value (re-read when another process changed the file). */
  async read(): Promise<T> {
    let mtimeMs: number;
    try {
      mtimeMs = (await fs.stat(this.file)).mtimeMs;
    } catch {
      return this.initial();
    }
    if (this.cached?.mtimeMs === mtimeMs) return structuredClone(this.cached.value);
    const value = JSON.parse(await fs.readFile(this.file, 'utf8')) as T;
    this.cached = { mtimeMs, value };
    return structuredClone(value);
  }

  /** Change the value: `change` gets a copy and returns the new value and a result. */
  update<R>(change: (value: T) => { value: T; result: R } | Promise<{ value: T; result: R }>) {
    const run = this.queue.then(async () => {
      const { value, result } = await change(await this.read());
      await writeFileAtomic(this.file, JSON.stringify(value));
      this.cached = null;
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
