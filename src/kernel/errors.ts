// Paddle-shaped errors. Code anywhere throws one of these; one handler in http/ renders it.
export interface FieldError {
  field: string;
  message: string;
}

export type ErrorType = 'request_error' | 'api_error';

/** Which documentation group an error code belongs to, for `documentation_url`. */
const CODE_GROUPS: Array<[RegExp, string]> = [
  [/^subscription_/, 'subscriptions'],
  [/^transaction_/, 'transactions'],
  [/^customer_/, 'customers'],
  [/^address_/, 'addresses'],
  [/^business_/, 'businesses'],
  [/^discount_/, 'discounts'],
  [/^price_/, 'prices'],
  [/^product_/, 'products'],
  [/^notification_/, 'notifications'],
  [/^adjustment_/, 'adjustments'],
  [/^payment_method_/, 'payment-methods'],
];

export function documentationUrl(code: string): string {
  const group = CODE_GROUPS.find(([pattern]) => pattern.test(code))?.[1] ?? 'shared';
  return `https://developer.paddle.com/errors/${group}/${code}`;
}

export class PaddleError extends Error {
  override name = 'PaddleError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly type: ErrorType = status >= 500 ? 'api_error' : 'request_error',
    readonly errors?: FieldError[],
  ) {
    super(detail);
  }
}

export function invalidField(errors: FieldError[]): PaddleError {
  return new PaddleError(400, 'invalid_field', 'Request does not pass validation.', 'request_error', errors);
}

export function notFound(id: string): PaddleError {
  return new PaddleError(404, 'not_found', `Entity ${id} not found`);
}

export function badRequest(code: string, detail: string): PaddleError {
  return new PaddleError(400, code, detail);
}

export function conflict(code: string, detail: string): PaddleError {
  return new PaddleError(409, code, detail);
}

export function forbidden(detail = "You aren't permitted to perform this request."): PaddleError {
  return new PaddleError(403, 'forbidden', detail);
}
