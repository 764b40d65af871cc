// The one way the page talks to the server: POST /graphql with the token of this tab, if any.
// The token lives in sessionStorage only (the same key GraphiQL uses): never in the URL or a log.

const TOKEN_KEY = 'asset360-token';

export class AuthRequired extends Error {}

export class GraphError extends Error {
  constructor(errors) {
    super(errors.map((error) => error.message).join('; '));
    this.codes = errors.map((error) => error.extensions?.code);
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(value) {
  sessionStorage.setItem(TOKEN_KEY, value.trim());
}

export function clearToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

export function authorization() {
  const value = token();
  return value ? `Bearer ${value}` : undefined;
}

/** Delays before asking again when the server answers UNAVAILABLE ("try again shortly"). */
const RETRY_MS = [250, 1000];

/**
 * Runs one operation; resolves with its data, or throws AuthRequired / GraphError when there is
 * none. A query the server could not serve for the moment (UNAVAILABLE: a busy or restarting
 * database) is asked again twice; a mutation never is.
 */
export async function gql(query, variables = {}) {
  const retryable = !/^\s*mutation\b/.test(query);
  for (let attempt = 0; ; attempt++) {
    const { data, errors } = await post(query, variables);
    const unavailable = errors.some((error) => error.extensions?.code === 'UNAVAILABLE');
    if (unavailable && retryable && attempt < RETRY_MS.length) {
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS[attempt]));
      continue;
    }
    if (!data || unavailable) throw new GraphError(errors);
    return data;
  }
}

async function post(query, variables) {
  const headers = { 'content-type': 'application/json' };
  const auth = authorization();
  if (auth) headers.authorization = auth;
  const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  if (response.status === 401) throw new AuthRequired('the server needs a token');
  const body = await response.json();
  const errors = body.errors ?? [];
  if (errors.some((error) => error.extensions?.code === 'UNAUTHENTICATED')) throw new AuthRequired(errors[0].message);
  return { data: body.data, errors };
}
