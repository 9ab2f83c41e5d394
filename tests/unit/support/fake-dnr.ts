/**
 * An in-memory declarativeNetRequest for platform tests in Node (WXT's fake browser has none).
 * It behaves as Chromium does where the platform code depends on it: an update is all or nothing,
 * removals happen before additions, an id already present (and not removed) is refused, and rules
 * are returned sorted by id. Tests can make the next updates fail, and can see whether two updates
 * ever overlapped (the one-queue promise).
 */
import { fakeBrowser } from 'wxt/testing';

type Rule = { id: number; [key: string]: unknown };
type Update = { removeRuleIds?: number[]; addRules?: Rule[] };

export type FakeDnr = {
  dynamic: Map<number, Rule>;
  session: Map<number, Rule>;
  /** Each call to updateDynamicRules, in order (including refused ones). */
  dynamicUpdates: Update[];
  /** Refuse the next n dynamic updates with this message. */
  failNextDynamicUpdates(n: number, message?: string): void;
  /** Each call to updateSessionRules, in order (including refused ones). */
  sessionUpdates: Update[];
  /** Refuse the next n session updates with this message. */
  failNextSessionUpdates(n: number, message?: string): void;
  /** A browser restart: session rules are gone, dynamic rules stay. */
  restartBrowser(): void;
  /** The most updates that were ever in progress at once. */
  maxConcurrentUpdates: number;
  /** How long each update takes (ms), so overlaps can happen if the code allows them. */
  updateDelayMs: number;
};

function applyUpdate(store: Map<number, Rule>, update: Update): void {
  const next = new Map(store);
  for (const id of update.removeRuleIds ?? []) next.delete(id);
  for (const rule of update.addRules ?? []) {
    if (!Number.isInteger(rule.id) || rule.id < 1)
      throw new Error(`Rule with id ${rule.id} is invalid.`);
    if (next.has(rule.id)) throw new Error(`Rule with id ${rule.id} does not have a unique ID.`);
    next.set(rule.id, structuredClone(rule));
  }
  store.clear();
  for (const [id, rule] of next) store.set(id, rule);
}

function read(store: Map<number, Rule>, filter?: { ruleIds?: number[] }): Rule[] {
  const ids = filter?.ruleIds ? new Set(filter.ruleIds) : null;
  return [...store.values()]
    .filter((r) => !ids || ids.has(r.id))
    .sort((a, b) => a.id - b.id)
    .map((r) => structuredClone(r));
}

/** Install a fresh fake on the fake browser; call after fakeBrowser.reset(). */
export function installFakeDnr(): FakeDnr {
  let failures = 0;
  let failureMessage = '';
  let sessionFailures = 0;
  let sessionFailureMessage = '';
  let inProgress = 0;
  const fake: FakeDnr = {
    dynamic: new Map(),
    session: new Map(),
    dynamicUpdates: [],
    failNextDynamicUpdates(n, message = 'Internal error.') {
      failures = n;
      failureMessage = message;
    },
    maxConcurrentUpdates: 0,
    updateDelayMs: 1,
    sessionUpdates: [],
    failNextSessionUpdates(n, message = 'Internal error.') {
      sessionFailures = n;
      sessionFailureMessage = message;
    },
    restartBrowser() {
      fake.session.clear();
    },
  };
  const dnr = {
    async getDynamicRules(filter?: { ruleIds?: number[] }) {
      return read(fake.dynamic, filter);
    },
    async getSessionRules(filter?: { ruleIds?: number[] }) {
      return read(fake.session, filter);
    },
    async updateDynamicRules(update: Update) {
      fake.dynamicUpdates.push(structuredClone(update));
      inProgress++;
      fake.maxConcurrentUpdates = Math.max(fake.maxConcurrentUpdates, inProgress);
      try {
        await new Promise((r) => setTimeout(r, fake.updateDelayMs));
        if (failures > 0) {
          failures--;
          throw new Error(failureMessage);
        }
        applyUpdate(fake.dynamic, update);
      } finally {
        inProgress--;
      }
    },
    async updateSessionRules(update: Update) {
      fake.sessionUpdates.push(structuredClone(update));
      if (sessionFailures > 0) {
        sessionFailures--;
        throw new Error(sessionFailureMessage);
      }
      applyUpdate(fake.session, update);
    },
  };
  (fakeBrowser as unknown as { declarativeNetRequest: typeof dnr }).declarativeNetRequest = dnr;
  return fake;
}
