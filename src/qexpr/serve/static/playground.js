// The qexpr playground: q checked in the browser (the JavaScript validator) as you type,
// completions, canonical q and SQL from the server, and the matching runs page by page.
// Everything but the token lives in the page's URL, so a link reproduces the view.

import { validate } from './validator/validate.js';
import { Combo } from './combo.js';
import { echo, replaceSpan } from './text.js';

const $ = (id) => document.getElementById(id);
const STATE = ['q', 'org', 'scopes', 'dialect', 'fields', 'sort_by', 'embed', 'limit'];
const DEFAULT_COLUMNS = ['id', 'created_at', 'duration_ms', 'cost', 'failure_code', 'has_logs'];
const TOKEN_KEY = 'qexpr-playground-token';
const page = { pq: null, fromPrev: false, next: null, previous: null };
let checked = 0;

function token() { return $('token').value.trim(); }

function stateParams() {
  const out = new URLSearchParams();
  for (const name of STATE) {
    const value = $(name).value.trim();
    if (value !== '' && !(name === 'dialect' && value === 'postgresql')) out.set(name, value);
  }
  if (page.pq) out.set('pq', page.pq);
  if (page.fromPrev) out.set('from_prev', 'true');
  return out;
}

function saveState() {
  const query = stateParams().toString();
  const url = location.pathname + (query ? `?${query}` : '');
  history.replaceState(null, '', url);
  $('permalink').href = url;
}

function loadState() {
  const params = new URLSearchParams(location.search);
  for (const name of STATE) if (params.has(name)) $(name).value = params.get(name);
  page.pq = params.get('pq');
  page.fromPrev = params.get('from_prev') === 'true';
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.has('token')) sessionStorage.setItem(TOKEN_KEY, hash.get('token'));
  $('token').value = sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/** GET `path` with `params` and the token; {status, body} (body: JSON or null). */
async function api(path, params, headers = {}) {
  const auth = token() ? { Authorization: `Bearer ${token()}` } : {};
  const response = await fetch(`${path}?${new URLSearchParams(params)}`, {
    headers: { ...auth, ...headers },
  });
  let body = null;
  try { body = await response.json(); } catch { /* not JSON */ }
  return { status: response.status, body };
}

function scopeParams() {
  const scopes = $('scopes').value.trim();
  return scopes ? { scopes } : {};
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** One error of q (from the validator or the server): message, code and span, hint, did-you-mean. */
function errorBlock(q, error, where) {
  const box = el('div', undefined, 'error');
  box.dataset.code = error.code;
  box.dataset.start = String(error.start);
  box.dataset.end = String(error.end);
  const head = el('p');
  head.append(el('strong', error.message), ` (${error.code}, characters ${error.start}\u2013${error.end}, found ${where})`);
  box.append(head);
  if (error.hint) box.append(el('p', `Hint: ${error.hint}`, 'hint'));
  if (error.suggestion) {
    const line = el('p', 'Did you mean ', 'suggestion');
    const fix = el('button', error.suggestion);
    fix.type = 'button';
    fix.addEventListener('click', () => {
      $('q').value = replaceSpan(q, error.start, error.end, error.suggestion);
      $('q').focus();
      onEdit(false);
    });
    line.append(fix, '?');
    box.append(line);
  }
  return box;
}

function showError(q, error, where) {
  echo($('q-echo'), q, error ? error.start : null, error ? error.end : null);
  $('q-status').replaceChildren(error ? errorBlock(q, error, where) : el('p', `Valid (checked ${where})`, 'ok'));
  Object.assign($('q-status').dataset, { q, where });
}

function problemText(body, status) {
  return body && body.detail ? `${body.detail} (${body.code ?? status})` : `the server answered ${status}`;
}

/** Canonical q, SQL and parameters (or every error of q) from GET /v1/compile. */
async function compileOnServer() {
  const q = $('q').value;
  const ticket = ++checked;
  const { status, body } = await api('/v1/compile', { q, dialect: $('dialect').value, ...scopeParams() });
  if (ticket !== checked) return;
  const ok = status === 200;
  const none = '(not compiled: see the error)';
  $('canonical').textContent = ok ? body.q : none;
  $('sql').textContent = ok ? body.sql : none;
  $('sql-params').textContent = ok ? JSON.stringify(body.params) : none;
  const errors = status === 400 && body ? body.errors : [];
  $('server-errors').replaceChildren(...(ok || status === 400 ? [] : [el('p', `Not compiled: ${problemText(body, status)}`, 'error')]));
  const first = errors.find((e) => e.param === 'q');
  if (first) showError(q, first, 'by the server');
  else if (ok) showError(q, null, 'by the server');
  if (errors.length > 1) {
    const list = el('ul');
    for (const e of errors) list.append(el('li', `${e.param}: ${e.message} (${e.code}, ${e.start}\u2013${e.end})`));
    $('server-errors').replaceChildren(el('p', `${errors.length} errors:`), list);
  }
}

let compileTimer = 0;
let completeTimer = 0;

/** After every change of q: check it here at once, then on the server; complete unless told not to. */
function onEdit(complete) {
  const q = $('q').value;
  const local = validate(q);
  showError(q, local.ok ? null : local, 'in the browser');
  clearTimeout(compileTimer);
  compileTimer = setTimeout(compileOnServer, 150);
  if (complete) {
    clearTimeout(completeTimer);
    completeTimer = setTimeout(() => combo.request(), 100);
  }
  saveState();
}

function cell(value) {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 79)}\u2026` : text;
  }
  return String(value);
}

function columns(items) {
  const fields = $('fields').value.split(',').map((f) => f.trim()).filter(Boolean);
  const embeds = $('embed').value.split(',').map((f) => f.trim()).filter(Boolean);
  const keys = new Set(items.flatMap((item) => Object.keys(item)));
  const wanted = fields.length ? fields : DEFAULT_COLUMNS.filter((c) => keys.has(c));
  return [...wanted, ...embeds.filter((e) => !wanted.includes(e) && keys.has(e))];
}

function showRuns(items) {
  const names = columns(items);
  const head = el('tr');
  for (const name of names) { const th = el('th', name); th.scope = 'col'; head.append(th); }
  $('runs').tHead.replaceChildren(head);
  $('runs').tBodies[0].replaceChildren(...items.map((item) => {
    const tr = el('tr');
    for (const name of names) tr.append(el('td', cell(item[name])));
    return tr;
  }));
  $('runs-caption').textContent = `${items.length} run${items.length === 1 ? '' : 's'} on this page`;
}

/** GET /v1/runs for the controls and the page cursor (pq, from_prev). */
async function runSearch(pq = null, fromPrev = false) {
  page.pq = pq;
  page.fromPrev = fromPrev;
  saveState();
  const params = { q: $('q').value, limit: $('limit').value || '10' };
  for (const name of ['fields', 'sort_by', 'embed']) if ($(name).value.trim()) params[name] = $(name).value.trim();
  if (pq) params.pq = pq;
  if (fromPrev) params.from_prev = 'true';
  $('runs-status').textContent = 'Loading\u2026';
  const { status, body } = await api('/v1/runs', params, { 'X-Organization-Id': $('org').value.trim() });
  if (status !== 200) {
    page.next = page.previous = null;
    const box = el('div', undefined, 'error');
    box.append(el('p', `Not run: ${problemText(body, status)}`));
    if (body && body.errors) {
      const list = el('ul');
      for (const e of body.errors) list.append(el('li', `${e.param}: ${e.message}${e.hint ? ` (hint: ${e.hint})` : ''}`));
      box.append(list);
    }
    $('runs-status').replaceChildren(box);
  } else {
    page.next = body.next;
    page.previous = body.previous;
    showRuns(body.items);
    $('runs-status').textContent = `Ran ${params.q ? 'the filter' : 'without a filter'}: ${body.items.length} run${body.items.length === 1 ? '' : 's'}.`;
  }
  $('next').disabled = !page.next;
  $('prev').disabled = !page.previous;
  $('runs').dataset.loads = String(Number($('runs').dataset.loads ?? 0) + 1);
}

const combo = new Combo($('q'), $('completions'), async (q, cursor) => {
  const { status, body } = await api('/v1/complete', { q, cursor: String(cursor), ...scopeParams() });
  if (status !== 200) throw new Error(String(status));
  return body.items;
}, () => onEdit(false));

/** The cursors belong to the search that made them: any edit of it ends the paging. */
function stalePaging() {
  page.pq = page.next = page.previous = null;
  page.fromPrev = false;
  $('next').disabled = $('prev').disabled = true;
  saveState();
}

$('q').addEventListener('input', () => { stalePaging(); onEdit(true); });
$('q').addEventListener('keydown', (event) => {
  if (event.key === 'Enter') { event.preventDefault(); combo.close(); runSearch(); }
});
$('controls').addEventListener('submit', (event) => { event.preventDefault(); runSearch(); });
$('access').addEventListener('submit', (event) => { event.preventDefault(); runSearch(); });
$('next').addEventListener('click', () => runSearch(page.next, false));
$('prev').addEventListener('click', () => runSearch(page.previous, true));
$('token').addEventListener('change', () => { sessionStorage.setItem(TOKEN_KEY, token()); onEdit(false); });
for (const name of ['scopes', 'dialect']) $(name).addEventListener('change', () => onEdit(false));
for (const name of ['org', 'fields', 'sort_by', 'embed', 'limit']) $(name).addEventListener('input', stalePaging);

loadState();
onEdit(false);
if (token() && $('org').value.trim()) runSearch(page.pq, page.fromPrev);
document.body.dataset.ready = 'true';
