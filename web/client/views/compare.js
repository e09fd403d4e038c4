// Two roles side by side: the tools and skills they share, and those that
// are only one's, as the API's compareRoles answers them. The choice lives
// in the URL (/compare?a=…&b=…), so a comparison can be shared and
// survives a reload.

import { allRoles, ApiError, cachedGql } from '../api.js';
import { h, toolTag } from '../dom.js';
import { navigate } from '../router.js';
import { roleCard } from './home.js';
import { rolePairForm, settle } from './results.js';

const COMPARE = `query CompareRoles($slugs: [String!]!) {
  compareRoles(slugs: $slugs) {
    roles { slug title tagline }
    sharedTools { slug name }
    sharedSkills
    only { tools { slug name } skills }
  }
}`;

export async function compareView(ctx) {
  const a = ctx.query.get('a') || '';
  const b = ctx.query.get('b') || '';
  ctx.loading(a && b ? 'Comparing the roles…' : 'Loading the roles…');
  const [roles, answer] = await Promise.all([
    allRoles({ signal: ctx.signal }),
    a && b && a !== b ? compare(a, b, ctx.signal) : null,
  ]);
  const pair = answer && answer.data;

  const head = h('header', { class: 'page-head' },
    h('h1', null, pair ? `${pair.roles[0].title} and ${pair.roles[1].title}` : 'Compare two roles'),
    h('p', { class: 'lead' }, 'Pick two roles to see the tools and skills they share, and what sets each apart.'));
  let result = null;
  if (a && b && a === b) result = h('p', { class: 'notice', role: 'alert' }, 'Pick two different roles to compare.');
  else if (answer && answer.err) result = h('p', { class: 'notice', role: 'alert' }, problem(answer.err, [a, b]));
  else if (pair) result = comparison(pair);

  const title = pair ? `${pair.roles[0].title} vs ${pair.roles[1].title}` : 'Compare two roles';
  ctx.show(title, head, picker(roles, a, b), result);
}

/** The API's comparison, or the error it answered ({ data } or { err }). */
async function compare(a, b, signal) {
  const answer = await settle(cachedGql(COMPARE, { slugs: [a, b] }, { signal }));
  if (answer.err && !(answer.err instanceof ApiError)) throw answer.err;
  return { data: answer.data?.compareRoles, err: answer.err };
}

/** What went wrong, naming the roles that do not exist. */
function problem(err, slugs) {
  const missing = err.errors
    .filter((e) => e.extensions && e.extensions.code === 'NOT_FOUND')
    .map((e) => /^slugs\[(\d+)\]$/.exec(e.extensions.field || ''))
    .filter(Boolean)
    .map((m) => `“${slugs[Number(m[1])]}”`);
  return missing.length ? `We could not find the role ${missing.join(' and ')}. Pick another below.` : err.message;
}

/** A form of two role menus; submitting changes the URL, not the page. */
function picker(roles, a, b) {
  return rolePairForm('/compare', roles, [['compare-a', 'a', 'First role', a], ['compare-b', 'b', 'Second role', b]],
    'Compare', (pick) => navigate(`/compare?${new URLSearchParams(pick)}`));
}

/** The API's comparison of two roles, as the page shows it. */
function comparison({ roles: [a, b], sharedTools, sharedSkills, only: [onlyA, onlyB] }) {
  const skillItem = (skill) => h('li', null, skill);
  const toolCount = sharedTools.length + onlyA.tools.length + onlyB.tools.length;
  return h('div', { class: 'comparison' },
    h('ul', { class: 'compare-heads' }, [a, b].map((role) => h('li', null, roleCard({ ...role, tools: [] }, { headingLevel: 2 })))),
    h('p', { class: 'compare-summary' },
      `They share ${sharedTools.length} of ${toolCount} tools `
      + `and ${sharedSkills.length} ${sharedSkills.length === 1 ? 'skill' : 'skills'}.`),
    table('Tools', 'compare-tools', a, b, { shared: sharedTools, onlyA: onlyA.tools, onlyB: onlyB.tools }, toolTag, 'tags'),
    table('Skills', 'compare-skills', a, b, { shared: sharedSkills, onlyA: onlyA.skills, onlyB: onlyB.skills }, skillItem, 'bullets'));
}

/** One aspect in three columns: only a, both, only b. */
function table(title, id, a, b, parts, item, listClass) {
  const column = (heading, items, className) => h('div', { class: `compare-col ${className}` },
    h('h3', null, heading, h('span', { class: 'count' }, String(items.length))),
    items.length ? h('ul', { class: listClass }, items.map(item)) : h('p', { class: 'muted small' }, 'None.'));
  return h('section', { class: 'compare-section', 'aria-labelledby': id },
    h('h2', { id }, title),
    h('div', { class: 'compare-cols' },
      column(`Only ${a.title}`, parts.onlyA, 'only-a'),
      column('Both', parts.shared, 'both'),
      column(`Only ${b.title}`, parts.onlyB, 'only-b')));
}
