/**
 * Admin accounts: adding, changing and removing them from the dashboard (IT role only), with
 * every change described for the audit log. Rules that keep a school from locking itself out:
 * nobody removes their own account or takes away their own IT role, and the last IT account
 * stays an IT account.
 */
import { hashPassword, passwordProblem } from './passwords.ts';
import { type Admin, isRole, ROLE_NAMES, ROLES } from './roles.ts';
import type { Account, Store } from './store/types.ts';

export interface AccountChange {
  action: string;
  target: string;
  detail: string;
}

type Outcome = { ok: true; change: AccountChange } | { ok: false; status: number; message: string };

// A plain check: the address is a sign-in name, matched to the provider's verified email.
const EMAIL = /^[^\s@<>"]{1,64}@[a-z0-9.-]{1,189}\.[a-z]{2,63}$/;
const fail = (status: number, message: string): Outcome => ({ ok: false, status, message });

function text(value: unknown, max: number): string | null {
  return typeof value === 'string' && value.trim().length <= max ? value.trim() : null;
}

export async function createAccount(
  store: Store,
  body: Record<string, unknown>,
  now: number,
): Promise<Outcome> {
  const email = text(body.email, 254)?.toLowerCase() ?? '';
  if (!EMAIL.test(email)) return fail(400, 'email: expected the person’s school email address.');
  const name = text(body.name, 100) || email;
  if (!isRole(body.role)) {
    return fail(400, `role: expected one of ${ROLES.map((r) => ROLE_NAMES[r]).join(', ')}.`);
  }
  let passwordHash: string | null = null;
  if (body.password !== undefined && body.password !== '') {
    if (typeof body.password !== 'string') return fail(400, 'password: expected text.');
    const problem = passwordProblem(body.password);
    if (problem) return fail(400, `password: ${problem}`);
    passwordHash = await hashPassword(body.password);
  }
  const account: Account = {
    accountId: crypto.randomUUID(),
    email,
    name,
    role: body.role,
    passwordHash,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await store.createAccount(account))) {
    return fail(409, `email: ${email} already has an account.`);
  }
  return {
    ok: true,
    change: {
      action: 'account.create',
      target: email,
      detail: `role ${ROLE_NAMES[body.role]}; ${passwordHash ? 'password set' : 'signs in with the school account only'}`,
    },
  };
}

export async function changeAccount(
  store: Store,
  admin: Admin,
  kind: 'update' | 'remove',
  body: Record<string, unknown>,
  now: number,
): Promise<Outcome> {
  const accounts = await store.accounts();
  const target = accounts.find((a) => a.accountId === body.accountId);
  if (!target) return fail(404, 'accountId: there is no such account (was it removed?).');
  const itAccounts = accounts.filter((a) => a.role === 'it').length;
  if (kind === 'remove') {
    if (target.accountId === admin.accountId)
      return fail(400, 'You cannot remove your own account.');
    if (target.role === 'it' && itAccounts <= 1) {
      return fail(400, 'This is the last IT account; add another IT account first.');
    }
    await store.deleteAccount(target.accountId);
    return {
      ok: true,
      change: {
        action: 'account.remove',
        target: target.email,
        detail: `was ${ROLE_NAMES[target.role]}`,
      },
    };
  }
  const details: string[] = [];
  const change: Parameters<Store['updateAccount']>[1] = {};
  if (body.role !== undefined && body.role !== target.role) {
    if (!isRole(body.role)) return fail(400, 'role: not a role this server knows.');
    if (target.accountId === admin.accountId) return fail(400, 'You cannot change your own role.');
    if (target.role === 'it' && itAccounts <= 1) {
      return fail(400, 'This is the last IT account; add another IT account first.');
    }
    change.role = body.role;
    details.push(`role ${ROLE_NAMES[target.role]} → ${ROLE_NAMES[body.role]}`);
  }
  if (body.name !== undefined) {
    const name = text(body.name, 100);
    if (!name) return fail(400, 'name: expected at most 100 characters.');
    if (name !== target.name) {
      change.name = name;
      details.push(`name “${target.name}” → “${name}”`);
    }
  }
  if (body.password !== undefined && body.password !== '') {
    if (typeof body.password !== 'string') return fail(400, 'password: expected text.');
    const problem = passwordProblem(body.password);
    if (problem) return fail(400, `password: ${problem}`);
    change.passwordHash = await hashPassword(body.password);
    details.push('password changed');
  }
  if (details.length === 0) return fail(400, 'Nothing to change.');
  await store.updateAccount(target.accountId, change, now);
  // A new role or password takes effect now: the account's sessions end.
  if (change.role || change.passwordHash) await store.deleteSessionsOf(target.accountId);
  return {
    ok: true,
    change: { action: 'account.update', target: target.email, detail: details.join('; ') },
  };
}
