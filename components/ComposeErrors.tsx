/**
 * Mistakes in the policy's send-warning (`compose`) settings, shown in the popup and the options
 * page like every other policy error. Unlike them, these do not stop the policy: each wrong
 * setting falls back to its default (lib/dlp/policy.ts, resolveComposePolicy).
 */
import { t } from './i18n.ts';

export function ComposeErrors({ errors }: { errors: string[] }) {
  if (errors.length === 0) return null;
  return (
    <div role="alert" class="error" data-testid="compose-policy-error">
      <p>{t('policy_compose_error')}</p>
      <ul>
        {errors.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ul>
    </div>
  );
}
