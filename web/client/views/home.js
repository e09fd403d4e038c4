// The home page: every role, browsed by family, a card per role.

import { allRoles } from '../api.js';
import { h, rolePath } from '../dom.js';
import { FAMILIES } from '../labels.js';

const TOP_TOOLS = 4;

export async function homeView(ctx) {
  ctx.loading('Loading the roles…');
  const roles = await allRoles({ signal: ctx.signal });
  const wanted = ctx.query.get('family');
  const family = FAMILIES.find((f) => f.value === wanted);
  const byFamily = new Map(FAMILIES.map((f) => [f.value, []]));
  for (const role of roles) {
    if (!byFamily.has(role.family)) byFamily.set(role.family, []);
    byFamily.get(role.family).push(role);
  }
  const shown = family ? [family] : FAMILIES.filter((f) => byFamily.get(f.value).length > 0);

  ctx.show(family ? `${family.label} roles` : 'The roles that exist in tech',
    h('header', { class: 'page-head' },
      h('h1', null, family ? `${family.label} roles` : 'Find your role in tech'),
      h('p', { class: 'lead' }, family ? family.blurb
        : `${roles.length} roles across ${shown.length} families: what each job is, the skills and tools it needs, what it pays and how to learn it.`)),
    familyFilter(byFamily, family),
    shown.map((f) => familySection(f, byFamily.get(f.value), !family)));
}

/** Links that narrow the page to one family: real URLs, easy to share. */
function familyFilter(byFamily, active) {
  const link = (href, label, count, current) => h('li', null,
    h('a', { href, class: 'chip-link', 'aria-current': current ? 'page' : null },
      label, h('span', { class: 'count' }, String(count))));
  const total = [...byFamily.values()].reduce((n, list) => n + list.length, 0);
  return h('nav', { class: 'family-filter', 'aria-label': 'Role families' },
    h('ul', null,
      link('/', 'All roles', total, !active),
      FAMILIES.filter((f) => byFamily.get(f.value).length > 0)
        .map((f) => link(`/?family=${f.value}`, f.label, byFamily.get(f.value).length, active === f))));
}

function familySection(family, roles, withBlurb) {
  const id = `family-${family.value.toLowerCase()}`;
  return h('section', { class: 'family', 'aria-labelledby': id },
    withBlurb ? h('h2', { id }, family.label) : h('h2', { id, class: 'visually-hidden' }, family.label),
    withBlurb ? h('p', { class: 'family-blurb' }, family.blurb) : null,
    h('ul', { class: 'card-grid' }, roles.map((role) => h('li', null, roleCard(role)))));
}

/** A role's card: title (the link), tagline and its first few tools. */
export function roleCard(role, { headingLevel = 3 } = {}) {
  const tools = (role.tools || []).slice(0, TOP_TOOLS);
  return h('article', { class: 'role-card' },
    h(`h${headingLevel}`, { class: 'role-card-title' }, h('a', { href: rolePath(role.slug) }, role.title)),
    h('p', { class: 'role-card-tagline' }, role.tagline),
    tools.length ? h('p', { class: 'role-card-tools' },
      h('span', { class: 'visually-hidden' }, 'Top tools: '),
      tools.map((t) => h('span', { class: 'tag' }, t.name))) : null);
}
