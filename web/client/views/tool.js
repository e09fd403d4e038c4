// A tool's page: what it is, and every role that uses it.

import { cachedGql } from '../api.js';
import { externalLink, h, toolPath } from '../dom.js';
import { categoryLabel } from '../labels.js';
import { roleCard } from './home.js';

const TOOL_PAGE = `query ToolPage($slug: String!) {
  tool(slug: $slug) {
    slug name category description url
    roles { slug title tagline tools { slug name } }
  }
}`;

export async function toolView(ctx) {
  const [slug] = ctx.params;
  ctx.loading('Loading the tool…');
  const { tool } = await cachedGql(TOOL_PAGE, { slug }, { signal: ctx.signal });
  if (!tool) {
    ctx.notFound('Tool', `No tool has the address “${slug}”. It may have been renamed or removed.`);
    return;
  }
  const count = tool.roles.length;
  ctx.show(tool.name,
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
      h('ol', null,
        h('li', null, h('a', { href: '/' }, 'Roles')),
        h('li', null, h('a', { href: toolPath(tool.slug), 'aria-current': 'page' }, tool.name)))),
    h('header', { class: 'page-head' },
      h('p', { class: 'eyebrow' }, categoryLabel(tool.category)),
      h('h1', null, tool.name),
      tool.description ? h('p', { class: 'lead' }, tool.description) : null,
      tool.url ? h('p', null, externalLink(tool.url, `${tool.name}’s website`)) : null),
    h('section', { class: 'tool-roles', 'aria-labelledby': 'tool-roles-title' },
      h('h2', { id: 'tool-roles-title' }, count === 1 ? `The role that uses ${tool.name}` : `${count} roles use ${tool.name}`),
      count === 0
        ? h('p', { class: 'muted' }, `No role lists ${tool.name} yet.`)
        : h('ul', { class: 'card-grid' }, tool.roles.map((role) => h('li', null, roleCard(role))))));
}
