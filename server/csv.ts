/** CSV export of the counts (RFC 4180), safe to open in a spreadsheet. */
import type { AuditEntry, Summary } from './store/types.ts';

/** Quote a field; a leading = + - @ would make a spreadsheet run it as a formula. */
export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function countsCsv(summary: Summary): string {
  const lines = ['type,day,category_or_detector,outcome,count'];
  for (const r of summary.navigation) {
    lines.push(['navigation', r.day, r.category, r.outcome, r.count].map(csvField).join(','));
  }
  for (const r of summary.email) {
    lines.push(['email', r.day, r.detector, r.outcome, r.count].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The audit log, newest first: time (UTC, ISO 8601), who, what, to what, details. */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const lines = ['time,who,action,target,detail'];
  for (const e of entries) {
    lines.push(
      [new Date(e.at).toISOString(), e.actor, e.action, e.target, e.detail].map(csvField).join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
