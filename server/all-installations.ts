/** Reading every installation through the paged store API (health and reports need them all). */
import { decodeCursor } from './store/schema.ts';
import type { InstallationRow, Store } from './store/types.ts';

/** Every installation, read page by page (health and the governors' report need them all). */
export async function allInstallations(store: Store): Promise<InstallationRow[]> {
  const out: InstallationRow[] = [];
  let cursor: { at: number; id: string } | null = null;
  for (;;) {
    const page = await store.installations({ limit: 500, cursor });
    out.push(...page.items);
    if (!page.next) return out;
    cursor = decodeCursor(page.next);
    if (!cursor) return out;
  }
}
