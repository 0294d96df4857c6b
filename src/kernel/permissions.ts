// Paddle API key permissions. `<entity>.write` implies `<entity>.read`.
export const READ_WRITE_ENTITIES = [
  'address',
  'adjustment',
  'business',
  'customer',
  'discount',
  'notification',
  'notification_setting',
  'notification_simulation',
  'payment_method',
  'price',
  'product',
  'report',
  'subscription',
  'transaction',
] as const;

export const WRITE_ONLY_PERMISSIONS = ['customer_auth_token.write', 'customer_portal_session.write'] as const;

export const ALL_PERMISSIONS: readonly string[] = [
  ...READ_WRITE_ENTITIES.flatMap((entity) => [`${entity}.read`, `${entity}.write`]),
  ...WRITE_ONLY_PERMISSIONS,
];

export function isKnownPermission(permission: string): boolean {
  return ALL_PERMISSIONS.includes(permission);
}

/** Whether a key holding `granted` may do what `required` names. */
export function grants(granted: readonly string[], required: string): boolean {
  if (granted.includes(required)) return true;
  if (required.endsWith('.read')) return granted.includes(`${required.slice(0, -'.read'.length)}.write`);
  return false;
}
