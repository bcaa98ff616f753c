import {h, fill} from './dom.js';
import * as api from './api.js';
import overview from './pages/overview.js';
import keys from './pages/keys.js';
import teams from './pages/teams.js';
import users from './pages/users.js';
import providers from './pages/providers.js';
import policies from './pages/policies.js';
import events from './pages/events.js';
import live from './pages/live.js';
import audit from './pages/audit.js';

const PAGES = {overview, keys, teams, users, providers, policies, events, live, audit};
const view = document.getElementById('view');
let stopCurrent = null;

/** What every page gets: where to draw, whether changes are allowed, and a way to show an error. */
function context() {
  return {
    canChange: api.canChange(),
    isAdmin: api.isAdmin(),
    rerender: () => route(),
    fail: (e) => showError(e),
  };
}

async function route() {
  if (stopCurrent) { stopCurrent(); stopCurrent = null; }
  const name = (location.hash.replace(/^#\/?/, '').split('?')[0]) || defaultPage();
  const page = PAGES[name] || overview;
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.page === name);
  document.body.dataset.page = name;
  const s = api.currentSession();
  if (!s || !(s.signedIn || s.readOnlyLocal)) { showSignIn(); return; }
  fill(view, h('p.muted', 'Loading…'));
  try {
    stopCurrent = await page(view, context()) || null;
  } catch (e) {
    // a page that could not load keeps its title, with the reason under it instead of "Loading…"
    const link = document.querySelector(`#nav a[data-page="${PAGES[name] ? name : 'overview'}"]`);
    if (!(e instanceof api.SignInRequired)) fill(view, h('h1', link ? link.textContent : ''));
    showError(e);
  }
}

/** A team-admin's landing page is its keys: the overview sums every team, which it may not read. */
function defaultPage() {
  const roles = (api.currentSession() || {}).roles || [];
  return roles.length && roles.every(r => r.startsWith('team-admin:')) ? 'keys' : 'overview';
}

function showError(e) {
  if (e instanceof api.SignInRequired) { api.loadSession().then(() => showSignIn()); return; }
  const msg = e instanceof api.ApiError
    ? (e.status === 403 ? 'Not allowed: ' + e.message : e.message)
    : ('Something went wrong: ' + (e && e.message ? e.message : e));
  view.prepend(h('div.error', {role: 'alert'}, msg));
}

function showWho() {
  const s = api.currentSession();
  const who = document.getElementById('who');
  const banner = document.getElementById('banner');
  fill(who);
  banner.hidden = true;
  if (!s) return;
  if (s.readOnlyLocal) {
    fill(banner, s.hint || 'Read-only: set ADMIN_PASS or OIDC_ISSUER_URL to sign in and make changes.');
    banner.hidden = false;
  }
  if (s.signedIn) {
    who.append(h('span.name', s.name || s.subject || 'signed in'),
      h('span.role', (s.roles || []).join(', ')),
      h('button.link', {type: 'button', onclick: async () => { await api.logout(); await api.loadSession(); showWho(); route(); }}, 'Sign out'));
  }
}

function showSignIn(message) {
  const s = api.currentSession() || {methods: ['password']};
  const methods = s.methods || ['password'];
  const box = h('section.signin', h('h1', 'Sign in'));
  if (message) box.appendChild(h('div.error', {role: 'alert'}, message));
  if (methods.includes('password')) {
    const pw = h('input', {type: 'password', name: 'password', autocomplete: 'current-password', placeholder: 'Admin password'});
    const form = h('form.stack', pw, h('button', {type: 'submit'}, 'Sign in'));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        await api.login(pw.value);
        await api.loadSession();
        showWho();
        route();
      } catch (e) {
        showSignIn(e.message);
      }
    });
    box.appendChild(form);
  }
  if (methods.includes('oidc')) {
    box.appendChild(h('a.button', {href: '/ui/oidc/login', id: 'sso'}, 'Sign in with SSO'));
  }
  if (!methods.length) box.appendChild(h('p', s.hint || 'Sign-in is not configured.'));
  fill(view, box);
}

// A blocked script, style or request is a console bug: shown, not silently lost (the browser tests look for it).
document.addEventListener('securitypolicyviolation', ev => {
  document.body.appendChild(h('div.error.csp-violation', {role: 'alert'},
    'Blocked by the Content-Security-Policy: ' + ev.violatedDirective + ' ' + (ev.blockedURI || '')));
});

window.addEventListener('hashchange', route);
(async () => {
  try {
    await api.loadSession();
  } catch (e) {
    fill(view, h('div.error', e.message));
    return;
  }
  showWho();
  // a failed OIDC sign-in comes back as /ui/?signInError=<reason>: shown once, then dropped from the address
  const failed = new URLSearchParams(location.search).get('signInError');
  if (failed) {
    history.replaceState(null, '', location.pathname + location.hash);
    if (!api.currentSession().signedIn) { showSignIn(failed); return; }
  }
  route();
})();
