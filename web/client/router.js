// Client-side navigation with the History API. Links stay real <a href>s,
// so middle-click, "open in new tab", reload and sharing all work; a plain
// click on a link to one of our routes is handled here instead of by a page
// load. Each navigation renders one view into <main>, sets the title and,
// after a navigation (not the first load), moves focus to the new h1 so a
// screen reader announces the page.

import { ApiError } from './api.js';
import { h } from './dom.js';

const SITE = 'Finder';

let routes = [];
let main;
let current = null; // the AbortController of the view being shown
let lastPath = null;

/** Starts routing: routes is a list of { path: RegExp, view(ctx) }. */
export function start(routeList, mainElement) {
  routes = routeList;
  main = mainElement;
  document.addEventListener('click', onClick);
  window.addEventListener('popstate', () => render({ focus: true, scroll: false }));
  render({ focus: false, scroll: false });
}

/** Goes to url (a path on this site) as if a link to it was followed. */
export function navigate(url, { replace = false } = {}) {
  const target = new URL(url, location.href);
  if (replace) history.replaceState(null, '', target);
  else history.pushState(null, '', target);
  render({ focus: true, scroll: true });
}

function onClick(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = event.target.closest && event.target.closest('a');
  if (!a || a.hasAttribute('download')) return;
  const targetAttr = a.getAttribute('target');
  if (targetAttr && targetAttr !== '_self') return;
  // SVG links keep their href in an attribute, not a string property.
  const href = a.getAttribute('href');
  if (!href) return;
  const url = new URL(href, location.href);
  if (url.origin !== location.origin || !match(url.pathname)) return;
  // A link within the page (a table of contents) is the browser's job.
  if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
  event.preventDefault();
  navigate(url);
}

/** Sets the document's title: title is the page's, without the site's name. */
export function setTitle(title) {
  document.title = title ? `${title} · ${SITE}` : SITE;
}

/** Marks the header's link to the page shown, if it has one. */
function markNav() {
  for (const a of document.querySelectorAll('.site-nav a')) {
    if (new URL(a.href).pathname === location.pathname) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function match(path) {
  for (const route of routes) {
    const m = route.path.exec(path);
    if (m) return { route, params: m.slice(1).map(decodeURIComponent) };
  }
  return null;
}

async function render({ focus, scroll }) {
  if (current) current.abort();
  const controller = new AbortController();
  current = controller;
  const samePath = location.pathname === lastPath;
  lastPath = location.pathname;
  // A filter that only changes the query string keeps focus and scroll.
  const moveFocus = focus && !samePath;
  if (scroll && !samePath) window.scrollTo(0, 0);

  markNav();
  const found = match(location.pathname) || { route: { view: notFoundView }, params: [] };
  const ctx = makeContext(controller, found.params, moveFocus);
  try {
    await found.route.view(ctx);
  } catch (err) {
    if (controller.signal.aborted || err.name === 'AbortError') return;
    console.error(err);
    ctx.error(err);
  }
}

function makeContext(controller, params, focus) {
  const signal = controller.signal;
  const ctx = {
    params,
    query: new URLSearchParams(location.search),
    signal,
    /** Replaces the page with a short status while data loads. */
    loading(text) {
      if (signal.aborted) return;
      main.setAttribute('aria-busy', 'true');
      main.replaceChildren(h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), text));
    },
    /** Shows the page: title is the document's title, without the site's name. */
    show(title, ...content) {
      if (signal.aborted) return;
      main.removeAttribute('aria-busy');
      main.replaceChildren(...content.flat().filter(Boolean));
      setTitle(title);
      const h1 = main.querySelector('h1');
      if (h1) h1.setAttribute('tabindex', '-1');
      if (focus && h1) h1.focus({ preventScroll: true });
      if (location.hash) {
        const anchor = document.getElementById(decodeURIComponent(location.hash.slice(1)));
        if (anchor) anchor.scrollIntoView();
      }
    },
    /** A page for something that does not exist, with ways on. */
    notFound(what, detail) {
      ctx.show(`${what} not found`, h('div', { class: 'state' },
        h('h1', null, `We could not find this ${what.toLowerCase()}`),
        h('p', null, detail || 'It may have been renamed or removed.'),
        h('p', null, h('a', { href: '/' }, 'Browse every role'), ' or search above.')));
    },
    /** A page that says what went wrong, with a way to try again. */
    error(err) {
      const message = err instanceof ApiError ? err.message : 'Something went wrong on this page. Please try again.';
      ctx.show('Something went wrong', h('div', { class: 'state', role: 'alert' },
        h('h1', null, 'Something went wrong'),
        h('p', null, message),
        h('p', null, h('button', { type: 'button', class: 'button', onclick: () => render({ focus: true, scroll: false }) }, 'Try again'))));
    },
  };
  return ctx;
}

async function notFoundView(ctx) {
  ctx.notFound('Page', 'There is no page at this address.');
}
