import { setToken } from '../api.js';
import { clear, h, message } from '../dom.js';

/** The sign-in form of AUTH_MODE=on: the token goes to this tab's sessionStorage, nowhere else. */
export function loginView(root, { reason, onToken }) {
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    placeholder: 'eyJhbGciOiJIUzI1NiJ9…',
  });
  const form = h(
    'form',
    {
      class: 'login card',
      id: 'login',
      onsubmit: (event) => {
        event.preventDefault();
        setToken(input.value);
        onToken();
      },
    },
    h('h1', { text: 'Sign in' }),
    message('This server asks for a Bearer token. It stays in this browser tab only.'),
    reason ? message(reason, 'error') : null,
    h('label', { for: 'token', text: 'Token' }),
    input,
    h('button', { type: 'submit', class: 'primary', text: 'Open the dashboard' }),
    h(
      'p',
      { class: 'muted small' },
      'An administrator mints one with ',
      h('code', { text: 'npm run token -- --role VIEWER --portfolios 1' }),
      '.',
    ),
  );
  clear(root, form);
  input.focus();
}
