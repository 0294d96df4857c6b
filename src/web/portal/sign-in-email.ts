// The sign-in email: plain text and a simple HTML version with the same words and link.
import { html } from '../shared/html.js';

export interface SignInEmailVm {
  seller_name: string;
  customer_name: string | null;
  link: string;
  expires_in_minutes: number;
}

/** The sign-in email: plain text and a simple HTML version with the same words. */
export function renderSignInEmail(vm: SignInEmailVm): { subject: string; text: string; html: string } {
  const greeting = vm.customer_name ? `Hello ${vm.customer_name},` : 'Hello,';
  const subject = `Sign in to manage your ${vm.seller_name} subscriptions`;
  const text = [
    greeting,
    '',
    `Use this link to sign in to the ${vm.seller_name} customer portal. It works for ${vm.expires_in_minutes} minutes:`,
    '',
    vm.link,
    '',
    "If you didn't ask to sign in, you can ignore this email.",
  ].join('\n');
  const markup = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${subject}</title></head>
<body>
<p>${greeting}</p>
<p>Use this link to sign in to the ${vm.seller_name} customer portal. It works for ${vm.expires_in_minutes} minutes:</p>
<p><a href="${vm.link}">Sign in to the customer portal</a></p>
<p>If you didn't ask to sign in, you can ignore this email.</p>
</body></html>
`;
  return { subject, text, html: markup.html };
}
