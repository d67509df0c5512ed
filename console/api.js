// api.js - the console's only door to aedesk: the gateway's JSON API.
//
// call('registry', 'ClientListRequest', {...}) posts the request's JSON; the session
// cookie (HttpOnly: this code never sees the token) goes by itself, and the CSRF token
// the gateway gave at login is kept in memory only (never in storage) and sent in a
// header. A refusal throws an ApiError with the service's own message in the chosen
// language, so the page can show why.
import { lang } from './i18n.js';

let csrf = '';
let me = null;

export class ApiError extends Error {
  constructor(status, message, http) {
    super(message);
    this.status = status;
    this.http = http;
  }
}

async function post(path, body) {
  const r = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, 'X-Aedesk-Lang': lang() },
    body: JSON.stringify(body || {}),
  });
  let j = {};
  try { j = await r.json(); } catch (e) { j = {}; }
  if (!r.ok) {
    if (r.status === 401) { me = null; csrf = ''; window.dispatchEvent(new Event('aedesk-logged-out')); }
    throw new ApiError(j.status || String(r.status), j.message || r.statusText, r.status);
  }
  return j;
}

export function call(service, type, body) {
  return post(`/api/${encodeURIComponent(service)}/${encodeURIComponent(type)}`, body);
}

export async function login(staffId, password) {
  const j = await post('/api/login', { staff_id: staffId, password });
  csrf = j.csrf;
  me = j.staff;
  return me;
}

export async function logout() {
  try { await post('/api/logout', {}); } finally { csrf = ''; me = null; }
}

// session: who is logged in (after a reload the cookie is still there), or null.
export async function session() {
  const r = await fetch('/api/session', { credentials: 'same-origin', headers: { 'X-Aedesk-Lang': lang() } });
  if (!r.ok) { me = null; return null; }
  const j = await r.json();
  csrf = j.csrf;
  me = j.staff;
  return me;
}

export function current() { return me; }
export function hasRole(...roles) { return !!me && me.roles.some((r) => roles.includes(r)); }

// events: the live inbox. EventSource reconnects by itself and sends Last-Event-ID,
// from which the gateway sends whatever was missed; `since` is the newest id shown.
export function events(since, onNote) {
  const es = new EventSource('/api/events' + (since ? `?since=${encodeURIComponent(since)}` : ''));
  es.addEventListener('notification', (e) => {
    try { onNote(JSON.parse(e.data)); } catch (err) { /* a broken event is skipped */ }
  });
  return es;
}
