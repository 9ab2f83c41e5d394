/** The dashboard's calls to its own JSON APIs (same origin, session cookie). */
export async function api<T>(
  url: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<T> {
  const init: RequestInit = { credentials: 'same-origin' };
  if (body !== undefined) {
    init.method = 'POST';
    init.headers = { 'Content-Type': contentType };
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await fetch(url, init);
  if (res.status === 401) {
    window.location.assign('/login');
    throw new Error('Your session has ended. Sign in again.');
  }
  const json = (await res.json()) as T & { message?: string };
  if (!res.ok) throw new Error(json.message ?? `The server answered ${res.status}.`);
  return json;
}

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/** A list version as staff read it: the date it was published, and its number. */
export function versionText(version: { version: number; issuedAt: string }): string {
  return `${dateTime.format(new Date(version.issuedAt))} (version ${version.version})`;
}

export function when(iso: string): string {
  return dateTime.format(new Date(iso));
}
