/**
 * Who may do what on the admin server. Every admin account has exactly one role; each route asks
 * for a permission (never a role name), and the server decides from the signed-in account's role
 * in the database, never from anything the page sends.
 *
 *   it            the school's IT staff: rule lists, access requests, settings, people
 *   safeguarding  the designated safeguarding lead: reports, and the only role that may search
 *                 detailed events (issue 12 part 5)
 *   head          the headteacher: reports and the audit log
 *   governor      read-only: the counts, health and the governors' report; changes nothing
 *
 * Usage in a route (app.ts):  const admin = await requireRole(req, res, 'publish_lists');
 *                             if (!admin) return;   // 401 or 403 already sent
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const ROLES = ['it', 'safeguarding', 'head', 'governor'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  it: 'IT',
  safeguarding: 'Safeguarding lead',
  head: 'Headteacher',
  governor: 'Governor (read-only)',
};

export type Permission =
  /** The dashboard's counts, installations, health and the governors' report. */
  | 'view_reports'
  /** Search detailed per-person events (part 5). */
  | 'search_events'
  /** Edit the list source, publish and roll back rule lists. */
  | 'publish_lists'
  /** Approve or decline access requests. */
  | 'handle_requests'
  /** Server settings: retention, groups, signing. */
  | 'manage_settings'
  /** Add, change and remove admin accounts. */
  | 'manage_people'
  /** Read and export the audit log. */
  | 'view_audit';

const PERMISSIONS: Record<Role, readonly Permission[]> = {
  it: [
    'view_reports',
    'publish_lists',
    'handle_requests',
    'manage_settings',
    'manage_people',
    'view_audit',
  ],
  safeguarding: ['view_reports', 'search_events', 'view_audit'],
  head: ['view_reports', 'view_audit'],
  governor: ['view_reports'],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The signed-in admin, as the session and accounts tables say. */
export interface Admin {
  accountId: string;
  email: string;
  name: string;
  role: Role;
}

export function can(admin: Pick<Admin, 'role'> | null, permission: Permission): boolean {
  return admin !== null && PERMISSIONS[admin.role].includes(permission);
}

export function permissionsOf(role: Role): readonly Permission[] {
  return PERMISSIONS[role];
}

/**
 * A route guard bound to the server's session lookup. It answers 401 (no session) or 403
 * (signed in, but the role may not) itself, in JSON with a plain message, and returns the admin
 * when allowed.
 */
export type RequireRole = (
  req: IncomingMessage,
  res: ServerResponse,
  permission: Permission,
) => Promise<Admin | null>;

export function roleGuard(adminOf: (req: IncomingMessage) => Promise<Admin | null>): RequireRole {
  return async (req, res, permission) => {
    const admin = await adminOf(req);
    if (admin && can(admin, permission)) return admin;
    const status = admin ? 403 : 401;
    const body = admin
      ? {
          error: 'forbidden',
          message: `Your account (${ROLE_NAMES[admin.role]}) may not do this. Ask the school's IT admin.`,
        }
      : { error: 'sign_in_required', message: 'Sign in to the dashboard first.' };
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
    return null;
  };
}
