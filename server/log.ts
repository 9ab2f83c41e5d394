/**
 * Structured logs: one JSON object per line on stdout. Writes to a pipe are synchronous on
 * Linux, so lines are gathered and written together on the next tick of the event loop (at
 * most ~64 KB per write); `flushLogs()` writes what is left before the process exits.
 * Never log bodies, tokens or cookies.
 */
let pending: string[] = [];
let pendingBytes = 0;
let scheduled = false;
let enabled = true;

export function setLogging(on: boolean): void {
  enabled = on;
}

export function flushLogs(): void {
  scheduled = false;
  if (pending.length === 0) return;
  const text = pending.join('');
  pending = [];
  pendingBytes = 0;
  process.stdout.write(text);
}

export function log(fields: Record<string, unknown>): void {
  if (!enabled) return;
  const line = `${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`;
  pending.push(line);
  pendingBytes += line.length;
  if (pendingBytes > 65_536) flushLogs();
  else if (!scheduled) {
    scheduled = true;
    setImmediate(flushLogs);
  }
}
