/**
 * Send-warning settings the extension left out (a custom pattern RE2 cannot run, a mistyped
 * field), each naming the setting and why, e.g. `compose.customPatterns[1].pattern: backreference
 * \1 is not supported: …`. The rest of the policy is in force. Shown in the popup and on the
 * options page from the same enforcement state the report reads.
 */
import type { EnforcementState } from '../lib/enforcement-state.ts';
import { t } from './i18n.ts';

export function ComposePolicyErrors({ state }: { state: EnforcementState }) {
  const errors = state.composeErrors ?? [];
  if (errors.length === 0) return null;
  return (
    <section
      class="error"
      aria-labelledby="compose-errors-heading"
      data-testid="compose-policy-errors"
    >
      <h2 id="compose-errors-heading">{t('compose_errors_heading')}</h2>
      <p>{t('compose_errors_note')}</p>
      <ul>
        {errors.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ul>
    </section>
  );
}
