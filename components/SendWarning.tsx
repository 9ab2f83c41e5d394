/**
 * The warning shown before a message with confidential data goes outside the school. A modal
 * dialog in its own shadow root (webmail/warning-ui.ts): what was found (types in plain words,
 * counts, redacted previews, where), who is outside the school (personal mail and look-alike
 * domains flagged), Remove per outside recipient, "Go back" (default focus) and "Send anyway"
 * (with a reason when policy asks). In block mode only "Go back" and the policy's words.
 *
 * Everything from the email (addresses, previews, attachment names) is rendered as text by
 * Preact, never as HTML.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FindingType } from '../lib/dlp/detectors.ts';
import type { SecureRoute } from '../lib/dlp/policy.ts';
import type { FindingGroup, WarningModel, WarningRecipient } from '../lib/send-warning.ts';
import { t } from './i18n.ts';
import { modalKeyDown } from './modal-keys.ts';

export type RemoveResult = { ok: boolean; model: WarningModel | null };

export type SendWarningProps = {
  model: WarningModel;
  schoolName?: string;
  /** Part of the message could not be checked (too long, or a custom pattern ran out of time). */
  incomplete?: boolean;
  onGoBack(): void;
  onSendAnyway(): void;
  /** After removals left nothing to warn about. */
  onSendNow(): void;
  onRemove(address: string): RemoveResult;
  /** The school's secure way to send (policy compose.secureRoute), named when data is found. */
  secureRoute?: SecureRoute | null;
  /** The school's disclaimer when the message lacks it: the dialog offers to add it. */
  disclaimer?: string | null;
  onAddDisclaimer?(): boolean;
  /** The subject label to suggest (policy mailbox.suggestPersonalLabel), or null. */
  personalLabel?: string | null;
  onLabelPersonal?(label: string): boolean;
};

/** Plain words for each finding type (literal calls, so the locale test sees every key). */
function typeLabel(type: FindingType): string {
  switch (type) {
    case 'upn':
      return t('warning_type_upn');
    case 'nino':
      return t('warning_type_nino');
    case 'nhs_number':
      return t('warning_type_nhs_number');
    case 'payment_card':
      return t('warning_type_payment_card');
    case 'bank_account':
      return t('warning_type_bank_account');
    case 'passport':
      return t('warning_type_passport');
    case 'driving_licence':
      return t('warning_type_driving_licence');
    case 'uln':
      return t('warning_type_uln');
    case 'uci':
      return t('warning_type_uci');
    case 'chi_number':
      return t('warning_type_chi_number');
    case 'postal_address':
      return t('warning_type_postal_address');
    case 'people_list':
      return t('warning_type_people_list');
    case 'date_of_birth':
      return t('warning_type_date_of_birth');
    case 'special_category':
      return t('warning_type_special_category');
    case 'safeguarding':
      return t('warning_type_safeguarding');
    case 'credential':
      return t('warning_type_credential');
    case 'custom':
      return t('warning_type_custom');
    case 'learned':
      return t('warning_type_learned');
  }
}

function fieldLabel(field: WarningRecipient['field']): string {
  return field === 'to'
    ? t('warning_field_to')
    : field === 'cc'
      ? t('warning_field_cc')
      : t('warning_field_bcc');
}

function places(group: FindingGroup): string {
  return group.places
    .map((p) =>
      p.field === 'subject'
        ? t('warning_in_subject')
        : p.field === 'body'
          ? t('warning_in_body')
          : t('warning_in_attachment', p.attachmentName ?? ''),
    )
    .join(', ');
}

export function SendWarning(props: SendWarningProps) {
  const [model, setModel] = useState<WarningModel | null>(props.model);
  const [removed, setRemoved] = useState<string[]>([]);
  const [removeFailed, setRemoveFailed] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [labelled, setLabelled] = useState<'no' | 'yes' | 'failed'>('no');
  const [disclaimerAdded, setDisclaimerAdded] = useState<'no' | 'yes' | 'failed'>('no');
  const [reasonError, setReasonError] = useState(false);
  const dialog = useRef<HTMLDivElement>(null);
  const goBack = useRef<HTMLButtonElement>(null);
  const reasonBox = useRef<HTMLTextAreaElement>(null);
  const school = props.schoolName || t('warning_the_school');

  // Default focus: "Go back", the safe choice.
  useEffect(() => {
    goBack.current?.focus();
  }, []);

  const onKeyDown = (e: KeyboardEvent) => modalKeyDown(e, dialog.current, props.onGoBack);

  const remove = (address: string) => {
    const result = props.onRemove(address);
    if (!result.ok) {
      setRemoveFailed(address);
      return;
    }
    setRemoveFailed(null);
    setRemoved((r) => [...r, address]);
    setModel(result.model);
    goBack.current?.focus();
  };

  const sendAnyway = () => {
    if (model?.override === 'reason' && reason.trim().length === 0) {
      setReasonError(true);
      reasonBox.current?.focus();
      return;
    }
    props.onSendAnyway();
  };

  const block = model?.action === 'block';
  const titleId = 'steward-warning-title';
  const leadId = 'steward-warning-lead';

  return (
    <div class="backdrop">
      <div
        ref={dialog}
        class={`dialog${block ? ' is-block' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={leadId}
        data-testid="send-warning"
        onKeyDown={onKeyDown}
      >
        <p class="brand">{t('warning_brand')}</p>
        <h2 id={titleId}>{block ? t('warning_title_block') : t('warning_title')}</h2>
        {model === null ? (
          <p id={leadId} data-testid="warning-resolved">
            {t('warning_resolved', school)}
          </p>
        ) : (
          <p id={leadId}>
            {model.groups.length > 0
              ? t('warning_lead_findings', school)
              : t('warning_lead_recipients', school)}
          </p>
        )}

        {model !== null && (
          <blockquote class="quote">
            <p>{t('warning_policy_quote')}</p>
            <footer>{t('warning_policy_source')}</footer>
          </blockquote>
        )}

        {model !== null && model.groups.length > 0 && (
          <section aria-labelledby="steward-warning-found">
            <h3 id="steward-warning-found">{t('warning_found_heading')}</h3>
            <ul class="plain">
              {model.groups.map((g) => (
                <li class="finding" key={g.type} data-finding={g.type}>
                  <span class="what">{typeLabel(g.type)}</span>
                  {' · '}
                  {t('warning_found_count', g.count)}
                  {' · '}
                  {places(g)}
                  {g.previews.length > 0 && (
                    <div class="previews">
                      {g.type === 'learned' ? t('warning_learned_why') : t('warning_previews')}{' '}
                      {g.previews.map((p) => (
                        <span class="preview" key={p}>
                          {p}
                        </span>
                      ))}
                    </div>
                  )}
                </li>
              ))}
            </ul>
            {props.incomplete && <p class="hint">{t('warning_incomplete')}</p>}
          </section>
        )}

        {model !== null && model.groups.length > 0 && props.secureRoute && (
          <SecureRouteSection route={props.secureRoute} school={school} />
        )}

        {props.disclaimer && props.onAddDisclaimer && (
          <section aria-labelledby="steward-warning-disclaimer" data-testid="disclaimer-offer">
            <h3 id="steward-warning-disclaimer">{t('disclaimer_heading')}</h3>
            <p>{t('disclaimer_missing', school)}</p>
            {disclaimerAdded === 'yes' ? (
              <p role="status">{t('disclaimer_added')}</p>
            ) : (
              <button
                type="button"
                class="secondary"
                onClick={() => setDisclaimerAdded(props.onAddDisclaimer?.() ? 'yes' : 'failed')}
              >
                {t('disclaimer_add')}
              </button>
            )}
            {disclaimerAdded === 'failed' && <p role="alert">{t('disclaimer_failed')}</p>}
          </section>
        )}

        {props.personalLabel && props.onLabelPersonal && (
          <section
            aria-labelledby="steward-warning-personal"
            data-testid="personal-label-suggestion"
          >
            <h3 id="steward-warning-personal">{t('warning_personal_heading')}</h3>
            <p>{t('mailbox_personal_suggest', props.personalLabel)}</p>
            {labelled === 'yes' ? (
              <p role="status">{t('warning_personal_added', props.personalLabel)}</p>
            ) : (
              <button
                type="button"
                class="secondary"
                onClick={() => {
                  const label = props.personalLabel;
                  if (label) setLabelled(props.onLabelPersonal?.(label) ? 'yes' : 'failed');
                }}
              >
                {t('warning_personal_add', props.personalLabel)}
              </button>
            )}
            {labelled === 'failed' && <p role="alert">{t('warning_personal_failed')}</p>}
          </section>
        )}

        {model !== null && model.recipients.length > 0 && (
          <section aria-labelledby="steward-warning-recipients">
            <h3 id="steward-warning-recipients">{t('warning_recipients_heading', school)}</h3>
            <ul class="plain">
              {model.recipients.map((r) => (
                <li
                  class={`recipient${r.lookalike ? ' is-lookalike' : ''}`}
                  key={`${r.field}:${r.address}`}
                  data-recipient={r.address}
                >
                  <span class="address">{r.address}</span>
                  <span class="field">{fieldLabel(r.field)}</span>
                  {r.personal && <span class="badge">{t('warning_personal')}</span>}
                  {r.lookalike && (
                    <strong class="badge is-danger">
                      {t('warning_lookalike', r.lookalike.orgDomain)}
                    </strong>
                  )}
                  {!block && (
                    <button
                      type="button"
                      class="secondary small"
                      aria-label={t('warning_remove_label', r.address)}
                      onClick={() => remove(r.address)}
                    >
                      {t('warning_remove')}
                    </button>
                  )}
                </li>
              ))}
            </ul>
            {model.manyVisible && (
              <p class="notice" data-testid="warning-bcc">
                {t('warning_many_visible', model.manyVisible.count)}
              </p>
            )}
          </section>
        )}

        <div aria-live="polite">
          {removed.length > 0 && <p class="notice">{t('warning_removed', removed.join(', '))}</p>}
          {removeFailed && (
            <p class="notice is-error" role="alert">
              {t('warning_remove_failed', removeFailed)}
            </p>
          )}
        </div>

        {block && model?.blockMessage && <p class="block-words">{model.blockMessage}</p>}

        {model !== null && !block && model.override === 'reason' && (
          <div>
            <label class="reason-label" for="steward-warning-reason">
              {t('warning_reason_label')}
            </label>
            <textarea
              ref={reasonBox}
              id="steward-warning-reason"
              class="reason"
              required
              aria-required="true"
              aria-invalid={reasonError ? 'true' : 'false'}
              aria-describedby={`steward-warning-reason-hint${reasonError ? ' steward-warning-reason-error' : ''}`}
              value={reason}
              onInput={(e) => {
                setReason((e.currentTarget as HTMLTextAreaElement).value);
                setReasonError(false);
              }}
            />
            <p class="hint" id="steward-warning-reason-hint">
              {t('warning_reason_hint')}
            </p>
            {reasonError && (
              <p class="error" id="steward-warning-reason-error">
                {t('warning_reason_required')}
              </p>
            )}
          </div>
        )}

        <div class="actions">
          <button ref={goBack} type="button" class="primary" onClick={() => props.onGoBack()}>
            {t('warning_go_back')}
          </button>
          {model === null && (
            <button type="button" class="secondary" onClick={() => props.onSendNow()}>
              {t('warning_send_now')}
            </button>
          )}
          {model !== null && !block && (
            <button type="button" class="secondary" onClick={sendAnyway}>
              {t('warning_send_anyway')}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}

/**
 * The school's secure way to send (policy `compose.secureRoute`), with the clause the seed
 * policies share: confidential messages must not go "by other means of external communication
 * which are known not to be secure" (seed 000 6.5.8; 001, 002, 004).
 */
export function SecureRouteSection({ route, school }: { route: SecureRoute; school: string }) {
  return (
    <section aria-labelledby="steward-warning-secure" data-testid="secure-route">
      <h3 id="steward-warning-secure">{t('secure_route_heading')}</h3>
      <p>
        {t('secure_route_lead', school)}{' '}
        <a href={route.url} target="_blank" rel="noopener noreferrer">
          {route.name}
        </a>
      </p>
      {route.note && <p>{route.note}</p>}
      <blockquote class="quote">
        <p>{t('secure_route_quote')}</p>
        <footer>{t('warning_policy_source')}</footer>
      </blockquote>
    </section>
  );
}
