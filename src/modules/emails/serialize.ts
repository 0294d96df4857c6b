import type { EmailRow } from '../../db/tables.js';
import { toWireTime } from '../../kernel/time.js';

/** What `GET /test-helpers/emails` shows of one email (INTERFACE.md): to, subject, text, html, sent_at. */
export function serializeEmail(row: EmailRow) {
  return {
    to: row.to_address,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    sent_at: toWireTime(row.sent_at),
  };
}

export type EmailEntity = ReturnType<typeof serializeEmail>;
