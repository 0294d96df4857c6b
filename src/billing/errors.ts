// A refused billing transition, carrying Paddle's error code and nothing of HTTP: it is a PaddleError, so the one
// error handler in http/ renders it with the status the catalogue (kernel/errors.ts) gives its code.
import { PaddleError } from '../kernel/errors.js';

export class DomainError extends PaddleError {
  override name = 'DomainError';
}

/** A 400 `invalid_field` about one request field, raised by a rule that needs the subscription's state. */
export function invalidFieldError(field: string, message: string): DomainError {
  return new DomainError('invalid_field', undefined, [{ field, message }]);
}
