// A refused billing transition, carrying Paddle's error code. It is a PaddleError, so the one error handler in
// http/ renders it without any mapping; billing code picks the status from Paddle's error reference pages.
import { PaddleError, type FieldError } from '../kernel/errors.js';

export class DomainError extends PaddleError {
  override name = 'DomainError';
  constructor(status: number, code: string, detail: string, errors?: FieldError[]) {
    super(status, code, detail, 'request_error', errors);
  }
}

/** A 400 `invalid_field` about one request field, raised by a rule that needs the subscription's state. */
export function invalidFieldError(field: string, message: string): DomainError {
  return new DomainError(400, 'invalid_field', 'Request does not pass validation.', [{ field, message }]);
}
