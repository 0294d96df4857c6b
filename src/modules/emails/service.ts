// Emails the server sends. Each one is kept in the `emails` table inside the caller's database transaction (so
// it exists exactly when what caused it committed); when SMTP_URL is set it is also handed to the SMTP server
// after the commit, and the row records how that went. The test helpers read the table.
import { monotonicFactory } from 'ulid';
import type { Ctx, TxCtx } from '../../context.js';
import type { EmailRow } from '../../db/tables.js';
import { toStoredTime, type Instant } from '../../kernel/time.js';
import { insertEmail, listEmails as listRows, updateDelivery } from './repository.js';
import { serializeEmail, type EmailEntity } from './serialize.js';
import { senderAddress, sendSmtp } from './smtp.js';

export interface OutgoingEmail {
  /** What the email is for, e.g. `portal_sign_in`. */
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Shown as the sender's name. */
  fromName: string;
}

const nextUlid = monotonicFactory();

function emailId(now: Instant): string {
  return `eml_${nextUlid(now.epochMilliseconds).toLowerCase()}`;
}

/** Keeps the email in the caller's transaction; call `deliver` with the result once it has committed. */
export async function keepEmail(ctx: TxCtx, email: OutgoingEmail): Promise<EmailRow> {
  const now = ctx.clock.now();
  const row: EmailRow = {
    ...ctx.tenant,
    id: emailId(now),
    kind: email.kind,
    to_address: email.to,
    to_key: email.to.toLowerCase(),
    subject: email.subject,
    text_body: email.text,
    html_body: email.html,
    delivery: ctx.config.smtpUrl ? 'sending' : 'kept',
    delivery_error: null,
    sent_at: toStoredTime(now),
  };
  await insertEmail(ctx.db, row);
  return row;
}

/**
 * Sends a kept email through SMTP when SMTP_URL is set. Runs in the background: the request that caused the
 * email neither waits for the SMTP server nor fails with it (and takes the same time whether or not it sent one).
 */
export function deliver(ctx: Ctx, row: EmailRow, fromName: string): Promise<void> {
  const smtpUrl = ctx.config.smtpUrl;
  if (!smtpUrl) return Promise.resolve();
  const sending = (async () => {
    try {
      const from = senderAddress(smtpUrl, ctx.config.publicUrl, fromName);
      await sendSmtp(smtpUrl, {
        from,
        to: row.to_address,
        subject: row.subject,
        text: row.text_body,
        html: row.html_body,
      });
      await updateDelivery(ctx.db, ctx.tenant, row.id, 'sent', null);
    } catch (error) {
      await updateDelivery(
        ctx.db,
        ctx.tenant,
        row.id,
        'failed',
        error instanceof Error ? error.message : String(error),
      ).catch(() => undefined);
    }
  })();
  return sending;
}

/** The environment's emails, newest first (at most `limit`), optionally only those to one address. */
export async function listEmails(ctx: Ctx, to: string | undefined, limit = 100): Promise<EmailEntity[]> {
  const rows = await listRows(ctx.db, ctx.tenant, to === undefined ? undefined : to.toLowerCase(), limit);
  return rows.map(serializeEmail);
}
