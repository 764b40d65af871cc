/**
 * Errors that a caller may see, each with the code graph.md promises in extensions.code. They live
 * below every layer so that domains throw them without knowing of GraphQL; src/graph/errors.ts maps
 * them to responses in one place.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadUserInputError extends AppError {
  constructor(message: string, argument?: string) {
    super('BAD_USER_INPUT', message, argument ? { argument } : {});
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'a valid Bearer token is required') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'your role does not allow this') {
    super('FORBIDDEN', message);
  }
}

export class UnavailableError extends AppError {
  constructor(message: string) {
    super('UNAVAILABLE', message);
  }
}

export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', `too many requests: try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}
