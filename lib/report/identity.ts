/**
 * Who a report says it comes from.
 *
 * Privacy reasoning (policy key `reportIdentity`):
 *
 * - Default `"installation"`: a random UUID made once per browser profile. The dashboard can
 *   tell browsers apart (is every staff browser reporting? which run an old rule list?) but the
 *   counts are not tied to a person. That is what the seed policies promise for routine
 *   monitoring: "We do not, as a matter of policy routinely monitor employees' use of the
 *   internet" and individual internet use is looked at only "if we suspect that the individual
 *   has been using the internet in breach of the individual's contract or this policy" (seed
 *   001); monitoring "only ... as necessary and justifiable for business purposes" (seed 000,
 *   9.1). Counts per category per day are enough for the senior leader's report, so the default
 *   sends nothing that names anyone.
 * - `"email"`: the signed-in managed account's address, for schools whose policy and data
 *   protection impact assessment say that per-person counts are necessary (seed 003, 8.4: "Use
 *   of the school's internet connection is recorded and monitored"). It is sent only if the
 *   address is in one of the school's own domains (`orgDomains`): Chrome applies a browser-wide
 *   force-install to every profile, and a member of staff's personal Google account is not the
 *   school's to collect. With no org domain configured, no address is sent at all.
 *
 * Either way a report carries only counts: no URLs, no page titles, no email content.
 *
 * Pure module: the key-value store and the account lookup are injected (in the extension,
 * `chrome.identity.getProfileUserInfo({ accountStatus: 'ANY' })`, which needs the `identity` and
 * `identity.email` permissions).
 */
import * as v from 'valibot';
import { ReportBatchSchema } from './payload.ts';

/** Minimal persistent key-value store (the report store's meta, or `storage.local`). */
export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

export type ReportIdentityMode = 'installation' | 'email';

export const INSTALLATION_ID_KEY = 'installationId';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * This browser's installation id: made once (random UUID v4), then read back. A stored value that
 * is not a lowercase UUID v4 (corrupted, or hand-edited) is replaced, since the server would
 * refuse every batch carrying it.
 */
export async function getInstallationId(
  kv: KeyValueStore,
  uuid: () => string = () => crypto.randomUUID(),
): Promise<string> {
  const stored = await kv.get(INSTALLATION_ID_KEY);
  if (typeof stored === 'string' && UUID_V4.test(stored)) return stored;
  const made = uuid().toLowerCase();
  if (!UUID_V4.test(made)) throw new Error('uuid() did not return a UUID v4');
  await kv.set(INSTALLATION_ID_KEY, made);
  return made;
}

/** The contract's own check for the `identity` field. */
const identitySchema = ReportBatchSchema.entries.identity;

/**
 * The address to send as `identity`, or undefined when none should be sent: mode is
 * `"installation"`, nobody is signed in, the address is outside the school's domains, or it would
 * not pass the contract.
 */
export async function reportIdentity(
  mode: ReportIdentityMode,
  orgDomains: readonly string[],
  getAccountEmail: () => Promise<string | null | undefined>,
): Promise<string | undefined> {
  if (mode !== 'email' || orgDomains.length === 0) return undefined;
  let email: string | null | undefined;
  try {
    email = await getAccountEmail();
  } catch {
    return undefined;
  }
  if (!email) return undefined;
  const address = email.trim().toLowerCase();
  const domain = address.slice(address.lastIndexOf('@') + 1);
  const inSchool = orgDomains.some((d) => {
    const org = d.toLowerCase().replace(/^\.+|\.+$/g, '');
    return domain === org || domain.endsWith(`.${org}`);
  });
  if (!inSchool) return undefined;
  return v.safeParse(identitySchema, address).success ? address : undefined;
}
