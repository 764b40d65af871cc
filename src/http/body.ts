import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { Logger } from '../infra/logger.js';

/** The JSON body of a GraphQL POST, refused beyond maxBytes. */
export function jsonBody(maxBytes: number): RequestHandler {
  return express.json({ limit: maxBytes });
}

/**
 * Errors raised before Apollo sees the request (an oversized or malformed body) answer with
 * their status and a GraphQL-shaped body, never express's HTML page with its stack trace.
 */
export function requestErrors(maxBytes: number, log: Logger): ErrorRequestHandler {
  return (error: { status?: unknown; expose?: unknown; type?: unknown; message?: unknown }, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status = typeof error.status === 'number' ? error.status : 500;
    if (status >= 400 && status < 500 && error.expose === true) {
      const message = error.type === 'entity.too.large' ? `the request body is larger than ${maxBytes} bytes` : String(error.message);
      res.status(status).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
      return;
    }
    log.error('request failed outside GraphQL', { requestId: res.locals.requestId, error: String(error.message) });
    res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  };
}
