// Sending through the SMTP server named by SMTP_URL (nodemailer: `smtp://user:pass@host:587`,
// `smtps://…:465`). The sender address comes from the URL's `from` query parameter, else
// `no-reply@<host of PADDOCK_PUBLIC_URL>`. One transport (connection settings) per URL, made on first use.
import nodemailer, { type Transporter } from 'nodemailer';

export interface SmtpMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

const transports = new Map<string, { transporter: Transporter; from: string | null }>();

function transportFor(smtpUrl: string): { transporter: Transporter; from: string | null } {
  let entry = transports.get(smtpUrl);
  if (!entry) {
    const url = new URL(smtpUrl);
    const from = url.searchParams.get('from');
    url.searchParams.delete('from');
    entry = { transporter: nodemailer.createTransport(url.toString()), from };
    transports.set(smtpUrl, entry);
  }
  return entry;
}

/** The sender for mail from this server: SMTP_URL's `from`, or no-reply at the public host. */
export function senderAddress(smtpUrl: string, publicUrl: string, displayName: string): string {
  const configured = transportFor(smtpUrl).from;
  const address = configured ?? `no-reply@${new URL(publicUrl).hostname}`;
  // @NOTE the display name is the seller's: quoted, with quotes and backslashes escaped.
  return configured && configured.includes('<')
    ? configured
    : `"${displayName.replace(/["\\]/g, '\\$&')}" <${address}>`;
}

export async function sendSmtp(smtpUrl: string, message: SmtpMessage): Promise<void> {
  await transportFor(smtpUrl).transporter.sendMail(message);
}
