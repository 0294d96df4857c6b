// Sending through the SMTP server named by SMTP_URL (nodemailer: `smtp://user:pass@host:587`,
// `smtps://…:465`). The sender address comes from the URL's `from` query parameter, else
// `no-reply@<host of PADDOCK_PUBLIC_URL>`. One transport (connection settings) per URL, made on first use;
// nodemailer itself is loaded on the first mail sent, not at start-up (most servers never send one).
import type { Transporter } from 'nodemailer';

export interface SmtpMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

const transports = new Map<string, Transporter>();

/** SMTP_URL without its `from` parameter (nodemailer's connection URL), and that parameter. */
function splitSmtpUrl(smtpUrl: string): { connection: string; from: string | null } {
  const url = new URL(smtpUrl);
  const from = url.searchParams.get('from');
  url.searchParams.delete('from');
  return { connection: url.toString(), from };
}

async function transportFor(smtpUrl: string): Promise<Transporter> {
  let transporter = transports.get(smtpUrl);
  if (!transporter) {
    const { default: nodemailer } = await import('nodemailer');
    transporter = nodemailer.createTransport(splitSmtpUrl(smtpUrl).connection);
    transports.set(smtpUrl, transporter);
  }
  return transporter;
}

/** The sender for mail from this server: SMTP_URL's `from`, or no-reply at the public host. */
export function senderAddress(smtpUrl: string, publicUrl: string, displayName: string): string {
  const configured = splitSmtpUrl(smtpUrl).from;
  const address = configured ?? `no-reply@${new URL(publicUrl).hostname}`;
  // @NOTE the display name is the seller's: quoted, with quotes and backslashes escaped.
  return configured && configured.includes('<')
    ? configured
    : `"${displayName.replace(/["\\]/g, '\\$&')}" <${address}>`;
}

export async function sendSmtp(smtpUrl: string, message: SmtpMessage): Promise<void> {
  await (await transportFor(smtpUrl)).sendMail(message);
}
