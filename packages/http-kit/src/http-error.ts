// Errors that only exist at the HTTP edge (who is calling, what they sent), with their status:
// only a code of ERROR_CODES, with one of the statuses listed for it.
import type { CodeWithStatus, ErrorCode, StatusOf } from "./error-codes";

export class HttpError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly status: StatusOf<C>,
    readonly code: C,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export const notLoggedIn = () => new HttpError(401, "NOT_LOGGED_IN", "Log in first: POST /auth/login");

export const unauthorized = (code: CodeWithStatus<401>, message: string) => new HttpError(401, code, message);

/** A valid token whose session record is gone: logged out (on any server) or expired. */
export const sessionEnded = () =>
  unauthorized("SESSION_ENDED", "This token's session has ended (logged out or expired); log in again");

export const validationFailed = (message: string) => new HttpError(400, "VALIDATION_FAILED", message);
