/**
 * Installation health (issue 12 part 4): which browsers need IT's attention, each problem counted
 * and listable. Worked out from what installations last reported (the newest batch's status), so
 * nothing extra is sent for it.
 *
 * "Out of date" and "behind" compare with the newest version any installation reports: the
 * server does not know which extension release is current, but the newest one seen in the school
 * is what the others should reach. Plain module with no Node API (the dashboard imports it too).
 */
import type { InstallationRow } from './store/types.ts';

export const HEALTH_PROBLEMS = [
  'not_seen',
  'extension_out_of_date',
  'rule_list_behind',
  'not_installed_by_policy',
  'no_policy',
  'policy_problem',
  'rule_list_problem',
  'adapter_problem',
  'needed_restart',
] as const;
export type HealthProblem = (typeof HEALTH_PROBLEMS)[number];

/** What each problem means, for the dashboard and the governors' report. */
export const HEALTH_NAMES: Record<HealthProblem, string> = {
  not_seen: 'Not seen recently',
  extension_out_of_date: 'Out-of-date extension',
  rule_list_behind: 'Behind on the rule list',
  not_installed_by_policy: 'Not installed by policy (can be turned off)',
  no_policy: 'No school policy reached the browser',
  policy_problem: 'Policy problem',
  rule_list_problem: 'Rule-list problem',
  adapter_problem: 'Webmail check problem',
  needed_restart: 'Needed a browser restart recently (Steward stopped hearing the browser)',
};

export const DEFAULT_STALE_DAYS = 7;

/** -1, 0 or 1 comparing dotted versions numerically ("0.10.0" is newer than "0.9.2"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+_-]/).map((p) => Number.parseInt(p, 10));
  const pb = b.split(/[.+_-]/).map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = Number.isFinite(pa[i]) ? pa[i]! : 0;
    const y = Number.isFinite(pb[i]) ? pb[i]! : 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export interface HealthContext {
  now: number;
  staleDays: number;
  newestExtension: string | null;
  newestRuleList: number | null;
}

export function healthContext(
  list: readonly InstallationRow[],
  now: number,
  staleDays = DEFAULT_STALE_DAYS,
): HealthContext {
  let newestExtension: string | null = null;
  let newestRuleList: number | null = null;
  for (const i of list) {
    if (newestExtension === null || compareVersions(i.extensionVersion, newestExtension) > 0) {
      newestExtension = i.extensionVersion;
    }
    if (
      i.ruleListVersion !== null &&
      (newestRuleList === null || i.ruleListVersion > newestRuleList)
    ) {
      newestRuleList = i.ruleListVersion;
    }
  }
  return { now, staleDays, newestExtension, newestRuleList };
}

/** The problems of one installation, in HEALTH_PROBLEMS order. */
export function problemsOf(i: InstallationRow, ctx: HealthContext): HealthProblem[] {
  const out: HealthProblem[] = [];
  if (ctx.now - Date.parse(i.lastSeen) > ctx.staleDays * 86_400_000) out.push('not_seen');
  if (ctx.newestExtension && compareVersions(i.extensionVersion, ctx.newestExtension) < 0) {
    out.push('extension_out_of_date');
  }
  if (
    ctx.newestRuleList !== null &&
    (i.ruleListVersion === null || i.ruleListVersion < ctx.newestRuleList)
  ) {
    out.push('rule_list_behind');
  }
  if (i.install && !i.install.policyInstalled) out.push('not_installed_by_policy');
  if (i.policySource === 'default') out.push('no_policy');
  if (i.policyError) out.push('policy_problem');
  if (i.ruleListError) out.push('rule_list_problem');
  if (i.adapterHealth.length > 0) out.push('adapter_problem');
  // Within the same window as "not seen": a browser that needed one last term is not a problem now.
  if (
    i.lastRestartNeeded !== null &&
    ctx.now - Date.parse(i.lastRestartNeeded) <= ctx.staleDays * 86_400_000
  ) {
    out.push('needed_restart');
  }
  return out;
}

export interface HealthReport {
  context: HealthContext;
  installations: number;
  healthy: number;
  /** How many installations have each problem (every problem listed, zero included). */
  counts: Record<HealthProblem, number>;
  /** Each installation with at least one problem. */
  problems: { installation: InstallationRow; problems: HealthProblem[] }[];
}

export function healthReport(
  list: readonly InstallationRow[],
  now: number,
  staleDays = DEFAULT_STALE_DAYS,
): HealthReport {
  const context = healthContext(list, now, staleDays);
  const counts = Object.fromEntries(HEALTH_PROBLEMS.map((p) => [p, 0])) as Record<
    HealthProblem,
    number
  >;
  const problems: HealthReport['problems'] = [];
  for (const installation of list) {
    const found = problemsOf(installation, context);
    for (const p of found) counts[p] += 1;
    if (found.length > 0) problems.push({ installation, problems: found });
  }
  return {
    context,
    installations: list.length,
    healthy: list.length - problems.length,
    counts,
    problems,
  };
}
