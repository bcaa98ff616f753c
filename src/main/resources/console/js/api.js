// The admin API as the pages call it: same-origin cookies, the console header, the CSRF token on changes.
// GET /ui/api/session says who is signed in (or, with no sign-in configured, that this is the local read-only console).

export class SignInRequired extends Error {}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

let session = null;

export function currentSession() {
  return session;
}

export async function loadSession() {
  let r;
  try {
    r = await fetch('/ui/api/session', {credentials: 'same-origin', headers: {'X-Bricks-Console': '1'}});
  } catch (e) {
    throw new ApiError(0, 'the gateway cannot be reached');
  }
  if (r.ok) {
    session = await r.json();
  } else {
    session = {signedIn: false, methods: ['password'], roles: []};
  }
  return session;
}

/** Whether the signed-in person may change things (viewers and the local read-only mode may not). */
export function canChange() {
  if (!session || !session.signedIn || session.readOnlyLocal) return false;
  const roles = session.roles || [];
  return roles.includes('admin') || roles.some(r => r.startsWith('team-admin:'));
}

/** Whether the signed-in person is an admin (the provider connection test uses the stored secret: admin only). */
export function isAdmin() {
  return canChange() && (session.roles || []).includes('admin');
}

/** Calls the admin API; resolves to {data, headers}. 401 → SignInRequired, other failures → ApiError with the body's message. */
export async function call(method, path, body) {
  const headers = {'X-Bricks-Console': '1', 'Accept': 'application/json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session && session.csrfToken) headers['X-CSRF-Token'] = session.csrfToken;
  let r;
  try {
    r = await fetch(path, {method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body)});
  } catch (e) {
    throw new ApiError(0, 'the gateway cannot be reached');
  }
  if (r.status === 401) throw new SignInRequired('sign in to continue');
  const text = await r.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = text; }
  }
  if (!r.ok) throw new ApiError(r.status, messageOf(data) || ('HTTP ' + r.status));
  return {data, headers: r.headers};
}

export const get = (path) => call('GET', path).then(r => r.data);
export const post = (path, body) => call('POST', path, body ?? {}).then(r => r.data);
export const put = (path, body) => call('PUT', path, body).then(r => r.data);
export const patch = (path, body) => call('PATCH', path, body).then(r => r.data);
export const del = (path) => call('DELETE', path).then(r => r.data);

function messageOf(data) {
  if (!data || typeof data !== 'object') return typeof data === 'string' ? data.slice(0, 300) : '';
  return data.message || data.detail || data.title || (data.error && (data.error.message || data.error)) || '';
}

export async function login(password) {
  const r = await fetch('/ui/api/login', {
    method: 'POST', credentials: 'same-origin',
    headers: {'Content-Type': 'application/json', 'X-Bricks-Console': '1'},
    body: JSON.stringify({password}),
  });
  if (!r.ok) {
    let msg = 'sign-in failed';
    try { msg = messageOf(await r.json()) || msg; } catch (e) { /* keep the default */ }
    throw new ApiError(r.status, msg);
  }
}

export async function logout() {
  await fetch('/ui/api/logout', {
    method: 'POST', credentials: 'same-origin',
    headers: {'X-Bricks-Console': '1', 'X-CSRF-Token': (session && session.csrfToken) || ''},
  });
}
