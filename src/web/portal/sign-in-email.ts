// The sign-in email: plain text and a simple HTML version with the same words, link and 6-digit code.
import { html } from '../shared/html.js';

export interface SignInEmailVm {
  seller_name: string;
  customer_name: string | null;
  link: string;
  /** Six digits, e.g. "048213". */
  code: string;
  expires_in_minutes: number;
}

/** The sign-in email: plain text and a simple HTML version with the same words. */
export function renderSignInEmail(vm: SignInEmailVm): { subject: string; text: string; html: string } {
  const greeting = vm.customer_name ? `Hello ${vm.customer_name},` : 'Hello,';
  const subject = `Sign in to manage your ${vm.seller_name} subscriptions`;
  const text = [
    greeting,
    '',
    `Use this link to sign in to the ${vm.seller_name} customer portal. It works once, for ${vm.expires_in_minutes} minutes:`,
    '',
    vm.link,
    '',
    `Or enter this code on the sign-in page: ${vm.code}`,
    '',
    "If you didn't ask to sign in, you can ignore this email. Never share this link or code with anyone.",
  ].join('\n');
  const markup = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${subject}</title></head>
<body>
<p>${greeting}</p>
<p>Use this link to sign in to the ${vm.seller_name} customer portal. It works once, for ${vm.expires_in_minutes} minutes:</p>
<p><a href="${vm.link}">Sign in to the customer portal</a></p>
<p>Or enter this code on the sign-in page:</p>
<p><strong>${vm.code}</strong></p>
<p>If you didn't ask to sign in, you can ignore this email. Never share this link or code with anyone.</p>
</body></html>
`;
  return { subject, text, html: markup.html };
}
