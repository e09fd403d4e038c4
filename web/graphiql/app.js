// GraphiQL for the Finder Platform: wires the editors, the request, the
// response, the docs explorer, history, examples and shareable links.
// Everything runs against this server's own /graphql; nothing is loaded
// from anywhere else.

import { completionsAt } from './complete.js';
import { DocsExplorer } from './docs.js';
import { Editor } from './editor.js';
import { operations, prettify } from './graphql.js';
import { highlightJSON } from './highlight.js';

const ENDPOINT = '/graphql';
const HISTORY_SIZE = 20;
const KEYS = {
  query: 'finder-graphiql.query',
  variables: 'finder-graphiql.variables',
  headers: 'finder-graphiql.headers',
  persistHeaders: 'finder-graphiql.persist-headers',
  operation: 'finder-graphiql.operation',
  history: 'finder-graphiql.history',
  docsOpen: 'finder-graphiql.docs-open',
};

const EXAMPLES = [
  {
    title: 'A role: skills, tools by category, related roles',
    query: '{ role(slug: "back-end-developer") { title tagline skills toolGroups { label tools { name } } relatedRoles { kind note role { title } } } }',
  },
  {
    title: 'Data roles, one page at a time',
    query: '{ roles(first: 10, filter: { families: [DATA] }) { totalCount edges { cursor node { title tools { name } } } pageInfo { hasNextPage endCursor } } }',
  },
  {
    title: 'Search roles, tools and learning resources',
    query: '{ search(query: "backend") { __typename ... on Role { title } ... on Tool { name category } ... on LearningResource { title kind } } }',
  },
  {
    title: 'A tool and the roles that use it',
    query: '{ tool(slug: "python") { name category roles { title } } }',
  },
  {
    title: 'With variables: the roles of a family',
    query: 'query RolesOfFamily($family: RoleFamily!, $first: Int = 5) { roles(first: $first, filter: { families: [$family] }) { totalCount nodes { title tagline } } }',
    variables: { family: 'SECURITY' },
  },
];

const WELCOME = `# Welcome to GraphiQL for the Finder Platform.
#
# Write a query below; run it with Run or Ctrl+Enter (⌘+Enter on a Mac).
# Documentation explains every type and field; Examples has more queries.
`;

const $ = (selector) => document.querySelector(selector);

// --- Storage: localStorage may be full or disabled; the page then forgets. --

const store = {
  get(key) {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      localStorage.setItem(key, value);
    } catch {
      // Nothing to do: the value just is not remembered.
    }
  },
  remove(key) {
    try {
      localStorage.removeItem(key);
    } catch {
      // As above.
    }
  },
};

function storedHistory() {
  try {
    const list = JSON.parse(store.get(KEYS.history) || '[]');
    return Array.isArray(list) ? list.filter((h) => h && typeof h.query === 'string') : [];
  } catch {
    return [];
  }
}

// --- State from the address bar (a shared link) or from the last visit -----

const params = new URLSearchParams(location.search);
const fromLink = params.has('query');
const persistHeaders = $('#persist-headers');
// Headers carry API keys: they are kept only when the user opts in.
persistHeaders.checked = store.get(KEYS.persistHeaders) === 'true';

$('#query').value = fromLink ? params.get('query')
  : store.get(KEYS.query) ?? `${WELCOME}${prettify(EXAMPLES[0].query)}\n`;
$('#variables').value = fromLink ? params.get('variables') || '' : store.get(KEYS.variables) || '';
$('#headers').value = persistHeaders.checked ? store.get(KEYS.headers) || '' : '';
let preferredOperation = fromLink ? params.get('operationName') : store.get(KEYS.operation);
let runHistory = storedHistory();

// --- Editors ----------------------------------------------------------------

// The docs explorer loads the schema; completion reads it from there.
const docs = new DocsExplorer($('#docs'), { request: (body) => post(body, headersOrNone()) });

const queryEditor = new Editor($('#query'), {
  language: 'graphql',
  complete: (text, cursor, explicit) => (docs.schema ? completionsAt(docs.schema, text, cursor, explicit) : null),
  onChange: (value) => {
    store.set(KEYS.query, value);
    forgetLink();
    updateOperations();
  },
});
const variablesEditor = new Editor($('#variables'), {
  language: 'json',
  onChange: (value) => {
    store.set(KEYS.variables, value);
    forgetLink();
    if (!$('#variables-error').hidden) checkObject('variables');
  },
});
const headersEditor = new Editor($('#headers'), {
  language: 'json',
  onChange: (value) => {
    if (persistHeaders.checked) store.set(KEYS.headers, value);
    if (!$('#headers-error').hidden) checkObject('headers');
  },
});

persistHeaders.addEventListener('change', () => {
  store.set(KEYS.persistHeaders, String(persistHeaders.checked));
  if (persistHeaders.checked) store.set(KEYS.headers, headersEditor.value);
  else store.remove(KEYS.headers);
});

/**
 * Once the text differs from the shared link it was opened with, the link
 * leaves the address bar, so a reload brings back the edits (from storage)
 * rather than the old link.
 */
function forgetLink() {
  if (!location.search) return;
  history.replaceState(null, '', location.pathname);
}

// --- Operations: with several in the document, the user picks one ------------

const picker = $('#operation-picker');
const operationSelect = $('#operation');
let operationsShown = '';

function updateOperations() {
  const ops = operations(queryEditor.value);
  picker.hidden = ops.length < 2;
  const signature = JSON.stringify(ops);
  if (ops.length < 2 || signature === operationsShown) return;
  operationsShown = signature;
  const wanted = operationSelect.value || preferredOperation;
  operationSelect.replaceChildren(...ops.map((op) => {
    const option = document.createElement('option');
    option.value = op.name || '';
    option.textContent = op.name || `(unnamed ${op.type})`;
    option.disabled = !op.name; // the server cannot be asked for an unnamed one
    return option;
  }));
  const names = ops.map((op) => op.name).filter(Boolean);
  operationSelect.value = names.includes(wanted) ? wanted : names[0] || '';
}

operationSelect.addEventListener('change', () => {
  preferredOperation = operationSelect.value;
  store.set(KEYS.operation, preferredOperation);
});

// --- Variables and headers: JSON objects, checked before anything is sent ---

const OBJECT_EXAMPLES = {
  variables: '{ "slug": "back-end-developer" }',
  headers: '{ "Authorization": "Bearer <key>" }',
};

/** Parses the variables or headers pane; shows and returns an error if it is not usable. */
function checkObject(which) {
  const editor = which === 'variables' ? variablesEditor : headersEditor;
  const error = $(`#${which}-error`);
  const { value, problem } = parseObject(editor.value, which);
  error.hidden = !problem;
  error.textContent = problem || '';
  if (problem) editor.textarea.setAttribute('aria-invalid', 'true');
  else editor.textarea.removeAttribute('aria-invalid');
  return problem ? null : value;
}

function parseObject(text, which) {
  if (!text.trim()) return { value: {} };
  let value;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { problem: `The ${which} are not valid JSON: ${err.message}.` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { problem: `The ${which} must be a JSON object, such as ${OBJECT_EXAMPLES[which]}.` };
  }
  if (which === 'headers') {
    for (const [name, v] of Object.entries(value)) {
      if (typeof v !== 'string') return { problem: `The header "${name}" must have a string value.` };
      try {
        new Headers().set(name, v);
      } catch {
        return { problem: `"${name}" is not a header a browser can send, or its value has characters a header cannot hold.` };
      }
    }
  }
  return { value };
}

/** The headers for the docs' introspection request: the pane's, if they are valid. */
function headersOrNone() {
  const { value, problem } = parseObject(headersEditor.value, 'headers');
  return problem ? {} : value;
}

// --- Running a query --------------------------------------------------------

let inFlight = null; // the AbortController of the running request

/**
 * POSTs a GraphQL request. Resolves to the response, parsed if it is JSON;
 * rejects with a readable Error when the server cannot be reached.
 */
async function post(body, userHeaders, signal) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(userHeaders)) headers.set(name, value);
  headers.set('Content-Type', 'application/json');
  headers.set('Accept', 'application/graphql-response+json, application/json');
  let res;
  try {
    res = await fetch(ENDPOINT, { method: 'POST', headers, body: JSON.stringify(body), signal });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new Error(`The server could not be reached (${err.message}). Check the connection and try again.`);
  }
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: the caller shows the text instead.
  }
  return {
    status: res.status,
    statusText: res.statusText,
    requestId: res.headers.get('X-Request-Id'),
    contentType: res.headers.get('Content-Type'),
    text,
    json,
  };
}

async function run() {
  if (inFlight) {
    inFlight.abort();
    return;
  }
  const request = prepare();
  if (!request) return;
  remember({ query: request.query, variables: variablesEditor.value.trim(), operationName: request.operationName });
  const controller = new AbortController();
  inFlight = controller;
  setRunning(true);
  const started = performance.now();
  try {
    const response = await post(request, checkObject('headers'), controller.signal);
    showResponse(response, performance.now() - started);
  } catch (err) {
    showError(err.name === 'AbortError' ? 'The request was stopped.' : err.message);
  } finally {
    inFlight = null;
    setRunning(false);
  }
}

/**
 * The request body to send, {query, variables, operationName}, or null
 * (having said why) when the variables, headers or query are not usable.
 */
function prepare() {
  const query = queryEditor.value;
  const variables = checkObject('variables');
  if (!variables) {
    refuse('variables', 'Nothing was sent: the variables must be a JSON object (see below the query).');
    return null;
  }
  if (!checkObject('headers')) {
    refuse('headers', 'Nothing was sent: the headers must be a JSON object of strings (see below the query).');
    return null;
  }
  if (!query.trim()) {
    showError('Write a query first.');
    return null;
  }
  const ops = operations(query);
  if (ops.length < 2) return { query, variables, operationName: ops.length ? ops[0].name : null };
  if (!operationSelect.value) {
    showError('This document has several operations. Give each one a name, then pick the one to run.');
    return null;
  }
  return { query, variables, operationName: operationSelect.value };
}

/** Shows the variables or headers tab with its error, and says why nothing was sent. */
function refuse(which, message) {
  selectTab(which);
  showError(message);
  $(`#${which}`).focus();
}

function setRunning(running) {
  $('#run-label').textContent = running ? 'Stop' : 'Run';
  $('#run').classList.toggle('is-running', running);
  const body = $('#response-body');
  body.classList.toggle('is-loading', running);
  body.setAttribute('aria-busy', String(running));
  if (!running) return;
  $('#response-status').textContent = 'Running the query.';
  // The last response stays, dimmed; with none to show, say what is going on.
  $('#response-error').hidden = true;
  if ($('#response').hidden) {
    const placeholder = $('#response-placeholder');
    placeholder.textContent = 'Running the query…';
    placeholder.hidden = false;
  }
}

function showResponse(response, ms) {
  const { status, statusText, requestId, json } = response;
  const meta = $('#response-meta');
  meta.hidden = false;
  const statusEl = $('#meta-status');
  statusEl.textContent = `${status}${statusText ? ` ${statusText}` : ''}`;
  statusEl.className = status >= 200 && status < 300 ? 'is-ok' : 'is-bad';
  $('#meta-time').textContent = formatDuration(ms);
  $('#meta-request-id').textContent = requestId || '—';

  $('#response-placeholder').hidden = true;
  const pre = $('#response');
  const error = $('#response-error');
  if (json !== null) {
    error.hidden = true;
    pre.hidden = false;
    pre.replaceChildren(highlightJSON(JSON.stringify(json, null, 2)));
    pre.scrollTop = 0;
    const errors = Array.isArray(json.errors) ? json.errors.length : 0;
    $('#response-status').textContent = `Response: HTTP ${status}, ${formatDuration(ms)}`
      + (errors ? `, ${errors} error${errors > 1 ? 's' : ''}.` : '.');
    return;
  }
  // Not JSON: say so, and show the start of what came back, as text.
  pre.hidden = true;
  error.hidden = false;
  const type = response.contentType ? ` (${response.contentType})` : '';
  const intro = document.createElement('p');
  intro.textContent = `The server answered HTTP ${status} with a response that is not JSON${type}.`;
  const body = document.createElement('pre');
  body.className = 'response-text';
  body.textContent = response.text.slice(0, 4000) || '(empty body)';
  error.replaceChildren(intro, body);
  $('#response-status').textContent = `Response: HTTP ${status}, not JSON.`;
}

function showError(message) {
  $('#response-meta').hidden = true; // it described an earlier response
  $('#response-placeholder').hidden = true;
  $('#response').hidden = true;
  const error = $('#response-error');
  error.hidden = false;
  const p = document.createElement('p');
  p.textContent = message;
  error.replaceChildren(p);
}

function formatDuration(ms) {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

$('#run').addEventListener('click', run);
document.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    run();
  }
});

// --- Prettify ---------------------------------------------------------------

$('#prettify').addEventListener('click', () => {
  let formatted;
  try {
    formatted = prettify(queryEditor.value);
  } catch (err) {
    notify(`Prettify left the query as it is: ${err.message}`);
    return;
  }
  queryEditor.setValue(formatted);
  // The variables too, when they are valid JSON.
  const { value, problem } = parseObject(variablesEditor.value, 'variables');
  if (!problem && variablesEditor.value.trim()) {
    variablesEditor.setValue(JSON.stringify(value, null, 2));
  }
});

// --- Variables / Headers tabs (the ARIA tabs pattern) -------------------------

const tabs = [$('#tab-variables'), $('#tab-headers')];

function selectTab(which) {
  for (const tab of tabs) {
    const selected = tab.id === `tab-${which}`;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(`#${tab.getAttribute('aria-controls')}`).hidden = !selected;
  }
}

for (const tab of tabs) {
  tab.addEventListener('click', () => selectTab(tab.id.replace('tab-', '')));
  tab.addEventListener('keydown', (e) => {
    const index = tabs.indexOf(tab);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const target = tabs[(next + tabs.length) % tabs.length];
    selectTab(target.id.replace('tab-', ''));
    target.focus();
  });
}

// --- History ----------------------------------------------------------------

function remember(entry) {
  const same = (h) => h.query === entry.query && h.variables === entry.variables
    && h.operationName === entry.operationName;
  runHistory = [{ ...entry, at: Date.now() }, ...runHistory.filter((h) => !same(h))].slice(0, HISTORY_SIZE);
  store.set(KEYS.history, JSON.stringify(runHistory));
  renderHistory();
}

function renderHistory() {
  const list = $('#history-list');
  $('#history-empty').hidden = runHistory.length > 0;
  $('#history-clear').hidden = runHistory.length === 0;
  list.replaceChildren(...runHistory.map((entry) => {
    const li = document.createElement('li');
    const button = menuButton(entry.operationName || summarize(entry.query), describeTime(entry.at, entry.variables));
    button.addEventListener('click', () => {
      loadIntoEditors(entry.query, entry.variables, entry.operationName);
      notify('Restored from history (Ctrl+Z in the editor undoes it).');
    });
    li.append(button);
    return li;
  }));
}

/** The first line of a query that says something, shortened. */
function summarize(query) {
  const text = query.replace(/#[^\n]*/g, ' ').replace(/\s+/g, ' ').trim();
  return text.length > 60 ? `${text.slice(0, 59)}…` : text || '(empty query)';
}

function describeTime(at, variables) {
  const time = at ? new Date(at).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' }) : '';
  return variables ? `${time} · with variables` : time;
}

$('#history-clear').addEventListener('click', () => {
  runHistory = [];
  store.remove(KEYS.history);
  renderHistory();
  $('#history-menu summary').focus();
});

// --- Examples -----------------------------------------------------------------

$('#examples-list').replaceChildren(...EXAMPLES.map((example) => {
  const li = document.createElement('li');
  const button = menuButton(example.title, summarize(example.query));
  button.addEventListener('click', () => {
    const variables = example.variables ? JSON.stringify(example.variables, null, 2) : null;
    loadIntoEditors(prettify(example.query), variables, null);
  });
  li.append(button);
  return li;
}));

function menuButton(label, detail) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'menu-item';
  const strong = document.createElement('span');
  strong.className = 'menu-item-label';
  strong.textContent = label;
  const small = document.createElement('span');
  small.className = 'menu-item-detail';
  small.textContent = detail;
  button.append(strong, small);
  return button;
}

/** Puts a query (and variables, unless null) in the editors, as edits Ctrl+Z can undo. */
function loadIntoEditors(query, variables, operationName) {
  queryEditor.setValue(query);
  if (variables !== null) {
    selectTab('variables');
    variablesEditor.setValue(variables);
  }
  if (operationName) {
    preferredOperation = operationName;
    operationsShown = ''; // rebuild the picker with this choice
    operationSelect.value = '';
    updateOperations();
  }
  closeMenus();
  queryEditor.focus();
}

// Menus (<details>) close on Escape and on a click elsewhere.
function closeMenus(except) {
  for (const menu of document.querySelectorAll('details.menu[open]')) {
    if (menu !== except) menu.open = false;
  }
}
document.addEventListener('click', (e) => closeMenus(e.target.closest('details.menu')));
for (const menu of document.querySelectorAll('details.menu')) {
  menu.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && menu.open) {
      menu.open = false;
      menu.querySelector('summary').focus();
    }
  });
}

// --- Copy link ------------------------------------------------------------------

$('#copy-link').addEventListener('click', async () => {
  const link = new URLSearchParams({ query: queryEditor.value });
  if (variablesEditor.value.trim()) link.set('variables', variablesEditor.value);
  if (!picker.hidden && operationSelect.value) link.set('operationName', operationSelect.value);
  const url = `${location.origin}${location.pathname}?${link}`;
  history.replaceState(null, '', url);
  try {
    await navigator.clipboard.writeText(url);
    notify('Link copied. It holds the query and variables, never the headers.');
  } catch {
    notify('The link is in the address bar: copy it from there. It never holds the headers.');
  }
});

// --- Docs pane --------------------------------------------------------------------

const docsToggle = $('#docs-toggle');

function showDocs(open) {
  docsToggle.setAttribute('aria-expanded', String(open));
  $('#docs').hidden = !open;
  $('#workspace').classList.toggle('has-docs', open);
  store.set(KEYS.docsOpen, String(open));
}

docsToggle.addEventListener('click', () => {
  const open = docsToggle.getAttribute('aria-expanded') !== 'true';
  showDocs(open);
  if (open) $('#docs-search').focus();
});

// --- Notices ------------------------------------------------------------------------

let noticeTimer = 0;

function notify(message) {
  const notice = $('#notice');
  notice.textContent = message;
  notice.classList.add('is-shown');
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    notice.classList.remove('is-shown');
    notice.textContent = '';
  }, 5000);
}

// --- Start ------------------------------------------------------------------------

if (/Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent)) {
  for (const key of document.querySelectorAll('#run-shortcut kbd:first-child')) key.textContent = '⌘';
}
showDocs(store.get(KEYS.docsOpen) !== 'false');
updateOperations();
renderHistory();
docs.load();
