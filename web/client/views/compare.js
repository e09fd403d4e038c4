// Two roles side by side: the tools and skills they share, and those that
// are only one's. The choice lives in the URL (/compare?a=…&b=…), so a
// comparison can be shared and survives a reload.

import { allRoles, cachedGql } from '../api.js';
import { h, toolPath } from '../dom.js';
import { compareRoles } from '../compare.js';
import { navigate } from '../router.js';
import { roleCard } from './home.js';

const COMPARE = `query CompareRoles($a: String!, $b: String!) {
  a: role(slug: $a) { slug title tagline skills tools { slug name } }
  b: role(slug: $b) { slug title tagline skills tools { slug name } }
}`;

export async function compareView(ctx) {
  const a = ctx.query.get('a') || '';
  const b = ctx.query.get('b') || '';
  ctx.loading(a && b ? 'Comparing the roles…' : 'Loading the roles…');
  const [roles, pair] = await Promise.all([
    allRoles({ signal: ctx.signal }),
    a && b && a !== b ? cachedGql(COMPARE, { a, b }, { signal: ctx.signal }) : null,
  ]);

  const head = h('header', { class: 'page-head' },
    h('h1', null, pair && pair.a && pair.b ? `${pair.a.title} and ${pair.b.title}` : 'Compare two roles'),
    h('p', { class: 'lead' }, 'Pick two roles to see the tools and skills they share, and what sets each apart.'));
  let result = null;
  if (a && b && a === b) result = h('p', { class: 'notice', role: 'alert' }, 'Pick two different roles to compare.');
  else if (pair && (!pair.a || !pair.b)) {
    const missing = [!pair.a && a, !pair.b && b].filter(Boolean).map((x) => `“${x}”`).join(' and ');
    result = h('p', { class: 'notice', role: 'alert' }, `We could not find the role ${missing}. Pick another below.`);
  } else if (pair) result = comparison(pair.a, pair.b);

  const title = pair && pair.a && pair.b ? `${pair.a.title} vs ${pair.b.title}` : 'Compare two roles';
  ctx.show(title, head, picker(roles, a, b), result);
}

/** A form of two role menus; submitting changes the URL, not the page. */
function picker(roles, a, b) {
  const select = (id, label, value) => h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('select', { id, name: id === 'compare-a' ? 'a' : 'b', required: true },
      h('option', { value: '' }, 'Choose a role…'),
      roles.map((r) => h('option', { value: r.slug, selected: r.slug === value }, r.title))));
  const form = h('form', { class: 'compare-form', action: '/compare', method: 'get' },
    select('compare-a', 'First role', a),
    select('compare-b', 'Second role', b),
    h('button', { type: 'submit', class: 'button primary' }, 'Compare'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const query = new URLSearchParams({ a: data.get('a') || '', b: data.get('b') || '' });
    navigate(`/compare?${query}`);
  });
  return form;
}

function comparison(a, b) {
  const diff = compareRoles(a, b);
  const toolLink = (t) => h('li', null, h('a', { class: 'tag tag-link', href: toolPath(t.slug) }, t.name));
  const skillItem = (skill) => h('li', null, skill);
  return h('div', { class: 'comparison' },
    h('ul', { class: 'compare-heads' }, [a, b].map((role) => h('li', null, roleCard({ ...role, tools: [] }, { headingLevel: 2 })))),
    h('p', { class: 'compare-summary' },
      `They share ${diff.tools.shared.length} of ${new Set([...a.tools, ...b.tools].map((t) => t.slug)).size} tools `
      + `and ${diff.skills.shared.length} ${diff.skills.shared.length === 1 ? 'skill' : 'skills'}.`),
    table('Tools', 'compare-tools', a, b, diff.tools, toolLink, 'tags'),
    table('Skills', 'compare-skills', a, b, diff.skills, skillItem, 'bullets'));
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
