import { AuthRequired, clearToken, gql, token } from './api.js';
import { clear, h, message } from './dom.js';
import { BUILD_FIELDS, closeLive, watchBuilds } from './live.js';
import { buildPanel } from './views/build.js';
import { dashboardView } from './views/dashboard.js';
import { loginView } from './views/login.js';

const view = document.getElementById('view');
const sessionBox = document.getElementById('session');
const notice = document.getElementById('notice');
let session;
let panel;
let stopBuilds;

const ROUTES = [
  { pattern: /^#?\/?$/, nav: 'dashboard', render: (root) => dashboardView(root, session) },
  {
    pattern: /^#\/asset\/(\d+)$/,
    nav: 'dashboard',
    render: async (root, id) => (await import('./views/asset.js')).assetView(root, session, id),
  },
  {
    pattern: /^#\/portfolios$/,
    nav: 'portfolios',
    render: async (root) => (await import('./views/portfolios.js')).portfoliosView(root, session),
  },
  {
    pattern: /^#\/portfolio\/(\d+)$/,
    nav: 'portfolios',
    render: async (root, id) => (await import('./views/portfolio.js')).portfolioView(root, session, id),
  },
];

/** Renders the page the hash names into a fresh root; a root replaced meanwhile is simply dropped. */
async function route(scroll = true) {
  if (!session) return;
  const root = h('div', { class: 'page' });
  clear(view, root);
  const match = ROUTES.map((candidate) => [candidate, location.hash.match(candidate.pattern)]).find(([, found]) => found);
  for (const link of document.querySelectorAll('[data-nav]')) {
    link.toggleAttribute('aria-current', Boolean(match && link.dataset.nav === match[0].nav));
  }
  if (!match) {
    clear(
      root,
      h('h1', { text: 'Not found' }),
      message('No page has this address.'),
      h('a', { href: '#/', text: 'Back to the dashboard' }),
    );
    return;
  }
  try {
    await match[0].render(root, match[1][1]);
  } catch (error) {
    failed(error, root);
  }
  if (scroll) window.scrollTo(0, 0);
}

function failed(error, root = view) {
  if (error instanceof AuthRequired) return signIn('The server no longer accepts this token; sign in again.');
  clear(root, h('h1', { text: 'Something went wrong' }), message(error.message, 'error'));
}

function signIn(reason) {
  session = undefined;
  stopBuilds?.();
  closeLive();
  clear(sessionBox);
  clear(document.getElementById('build'));
  loginView(view, { reason, onToken: boot });
}

function renderSession() {
  const signOut = h('button', {
    type: 'button',
    class: 'link-button',
    text: 'Sign out',
    onclick: () => {
      clearToken();
      boot();
    },
  });
  clear(
    sessionBox,
    h('span', { class: `role role-${session.role.toLowerCase()}`, id: 'role', text: session.role }),
    session.subject ? h('span', { class: 'subject', text: session.subject }) : null,
    token() ? signOut : null,
  );
}

async function boot() {
  stopBuilds?.();
  closeLive();
  let data;
  try {
    data = await gql(`query Session { me { role subject } asset360Build { ${BUILD_FIELDS} } }`);
  } catch (error) {
    if (error instanceof AuthRequired) {
      const refused = Boolean(token());
      clearToken();
      return signIn(refused ? 'The server refused that token.' : undefined);
    }
    return failed(error);
  }
  const { role, subject } = data.me;
  session = {
    role,
    subject,
    // Firm-wide figures need ANALYST; the operator controls OPERATOR (ADMIN may do both).
    firm: role !== 'VIEWER',
    operator: role === 'OPERATOR' || role === 'ADMIN',
  };
  renderSession();
  panel = buildPanel(document.getElementById('build'), session, data.asset360Build);
  // The page's own requests first; the live feed's client loads meanwhile.
  const routed = route();
  stopBuilds = watchBuilds(data.asset360Build?.id ?? null, (build) => {
    panel.show(build);
    announce(`Build ${build.id} as of ${build.asOf} is published: the figures below are refreshed.`);
    route(false);
  });
  await routed;
}

let noticeTimer;
function announce(text) {
  notice.textContent = text;
  notice.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => (notice.hidden = true), 8000);
}

window.addEventListener('hashchange', () => route());
boot();
