/**
 * Toolbar popup: where the policy comes from, each category's mode, the rules in force, when
 * they were applied, and any policy error in plain words.
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { healthRows } from '../lib/adapter-health.ts';
// Registers RE2 so that refused school patterns are reported with their reason.
import '../lib/dlp/custom-patterns.ts';
import type { MessagingStuck } from '../lib/direct-line.ts';
import { composePolicyErrors } from '../lib/dlp/policy.ts';
import type { EnforcementState } from '../lib/enforcement-state.ts';
import type { InstallStatus as InstallStatusValue } from '../lib/install-status.ts';
import { sayWhen } from '../lib/personal-use.ts';
import type { StewardPolicy } from '../lib/policy.ts';
import type { RuleListStatus } from '../lib/rule-list/status.ts';
import { AccessRequestsPanel } from './AccessRequestsPanel.tsx';
import { ComposeErrors } from './ComposeErrors.tsx';
import { InstallStatus } from './InstallStatus.tsx';
import { categoryLabel, t, whenText } from './i18n.ts';
import type { Stored } from './stored.ts';
import './popup.css';

const fmt = (n: number) => n.toLocaleString('en-GB');

export type PopupSources = {
  enforcementState: Stored<EnforcementState>;
  ruleListStatus: Stored<RuleListStatus>;
  adapterHealth: Stored<Record<string, number>>;
  /** The policy in force (for mistakes in its send-warning settings). */
  effectivePolicy: Stored<StewardPolicy>;
  /** Since when the worker has heard no event from the browser (lib/direct-line.ts), or null. */
  messagingStuck: Stored<MessagingStuck | null>;
  readInstallStatus: () => Promise<InstallStatusValue>;
};

export function Popup({ sources }: { sources: PopupSources }) {
  const { enforcementState, ruleListStatus, adapterHealth, effectivePolicy, messagingStuck } =
    sources;
  const [state, setState] = useState<EnforcementState | null>(null);
  const [ruleList, setRuleList] = useState<RuleListStatus | null>(null);
  const [health, setHealth] = useState<Record<string, number>>({});
  const [policy, setPolicy] = useState<StewardPolicy | null>(null);
  const [stuck, setStuck] = useState<MessagingStuck | null>(null);

  useEffect(() => {
    void enforcementState.getValue().then(setState);
    void ruleListStatus.getValue().then(setRuleList);
    void adapterHealth.getValue().then(setHealth);
    void effectivePolicy.getValue().then(setPolicy);
    void messagingStuck.getValue().then(setStuck);
    const unwatch = [
      effectivePolicy.watch((next) => setPolicy(next)),
      adapterHealth.watch((next) => setHealth(next)),
      enforcementState.watch((next) => setState(next)),
      ruleListStatus.watch((next) => setRuleList(next)),
      messagingStuck.watch((next) => setStuck(next)),
    ];
    return () => {
      for (const u of unwatch) u();
    };
  }, [enforcementState, ruleListStatus, adapterHealth, effectivePolicy, messagingStuck]);

  if (!state) return <main class="popup" aria-busy="true" />;
  const composeErrors = policy ? composePolicyErrors(policy) : [];
  const problems = healthRows(health);
  const domains = Object.values(state.summary?.domainsByCategory ?? {}).reduce((a, b) => a + b, 0);
  // Nothing applied yet (the first moments of a fresh install): say so, not "no policy, 0 rules".
  const applying = state.appliedAt === null;

  return (
    <main class="popup">
      <h1>{t('popup_title')}</h1>
      {stuck && (
        <p role="alert" class="notice" data-testid="restart-browser">
          {t('restart_browser')}
        </p>
      )}
      {applying ? (
        <p data-testid="policy-source" role="status" aria-busy="true">
          {t('popup_applying')}
        </p>
      ) : (
        <p data-testid="policy-source" class={state.source === 'default' ? 'notice' : ''}>
          {state.source === 'managed'
            ? state.schoolName
              ? t('popup_policy_managed', state.schoolName)
              : t('popup_policy_managed_generic')
            : t('popup_policy_default')}
        </p>
      )}
      {state.applyError && (
        <p role="alert" class="error" data-testid="apply-error">
          {t('popup_apply_error', state.applyError)}
        </p>
      )}

      {state.policyErrors.length > 0 && (
        <div role="alert" class="error" data-testid="policy-error">
          <p>{t('popup_policy_error')}</p>
          <ul>
            {state.policyErrors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}

      <ComposeErrors errors={composeErrors} />

      <InstallStatus read={sources.readInstallStatus} />

      {policy?.reportUrl && policy.reportDetail === 'events' && (
        <section aria-labelledby="detail-heading" data-testid="report-detail">
          <h2 id="detail-heading">{t('popup_report_detail')}</h2>
          <p>
            {t(
              policy.reportIdentity === 'email'
                ? 'popup_report_detail_account'
                : 'popup_report_detail_browser',
            )}
          </p>
        </section>
      )}

      {state.personalUse && (
        <PersonalUse schedule={state.personalUse} now={state.checkedAt ?? Date.now()} />
      )}

      <h2>{t('popup_categories')}</h2>
      <table>
        <tbody>
          {Object.entries(state.categories).map(([category, mode]) => (
            <tr key={category} data-category={category}>
              <th scope="row">{categoryLabel(category)}</th>
              <td class={`mode mode-${mode}`}>{t(`mode_${mode}`)}</td>
              <td class="count">
                {t('popup_domains', fmt(state.summary?.domainsByCategory[category] ?? 0))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {state.appliedAt !== null && (
        <>
          <p data-testid="rules-in-force">
            {t('popup_rules_in_force', fmt(state.summary?.rules ?? 0), fmt(domains))}
          </p>
          <p>
            {t(
              'popup_last_applied',
              new Date(state.checkedAt ?? state.appliedAt).toLocaleString('en-GB', {
                dateStyle: 'medium',
                timeStyle: 'short',
              }),
            )}
          </p>
        </>
      )}

      {ruleList?.url && (
        <section aria-labelledby="rule-list-heading">
          <h2 id="rule-list-heading">{t('popup_rule_list')}</h2>
          <p data-testid="rule-list-status">
            {ruleList.version !== null
              ? t('popup_rule_list_version', ruleList.version, fmt(ruleList.entries))
              : t('popup_rule_list_none')}
          </p>
          {ruleList.error && (
            <p role="alert" class="error" data-testid="rule-list-error">
              {t('popup_rule_list_error', ruleList.error.message)}
            </p>
          )}
        </section>
      )}

      {problems.length > 0 && (
        <section aria-labelledby="health-heading" data-testid="webmail-health">
          <h2 id="health-heading">{t('popup_webmail_health')}</h2>
          <p>{t('popup_webmail_health_note')}</p>
          <ul>
            {problems.map(({ service, problem, count }) => (
              <li key={`${service}-${problem}`} data-problem={problem}>
                {t(
                  'popup_webmail_health_item',
                  t(`webmail_service_${service}`),
                  t(`health_problem_${problem}`),
                  count,
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      <AccessRequestsPanel />

      {state.policyWarnings.length > 0 && (
        <details>
          <summary>{t('popup_warnings')}</summary>
          <ul>
            {state.policyWarnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </details>
      )}
      <p>
        <a href={browser.runtime.getURL('/options.html')} target="_blank" rel="noreferrer">
          {t('popup_options')}
        </a>
      </p>
    </main>
  );
}

/**
 * The school's personal-use time as the worker last worked it out: the window open now (until
 * when) and the next one. Times are in the school's time zone, as of the worker's last check.
 */
function PersonalUse({
  schedule,
  now,
}: {
  schedule: NonNullable<EnforcementState['personalUse']>;
  now: number;
}) {
  const time = (at: number) => sayWhen(at, now, schedule.timeZone);
  const end = (at: number, from: number) => {
    const said = sayWhen(at, from, schedule.timeZone);
    return said.kind === 'today' ? said.time : whenText(said);
  };
  return (
    <section aria-labelledby="personal-use-heading" data-testid="personal-use">
      <h2 id="personal-use-heading">{t('popup_personal_use')}</h2>
      <p>
        {schedule.openUntil !== null
          ? t('popup_personal_use_open', end(schedule.openUntil, now))
          : t('popup_personal_use_closed')}
      </p>
      <p>
        {schedule.next
          ? t(
              'popup_personal_use_next',
              whenText(time(schedule.next.start)),
              end(schedule.next.end, schedule.next.start),
            )
          : t('popup_personal_use_none')}
      </p>
    </section>
  );
}
