// From my role to another: the API's careerPath, step by step. The choice
// lives in the URL (/path?from=…&to=…), so a path can be shared and
// survives a reload; choosing again shows the new path below the form
// without rebuilding the page.

import { allRoles, ApiError, cachedGql } from '../api.js';
import { externalLink, h, resourceMeta, rolePath, toolTags } from '../dom.js';
import { stepLabel } from '../labels.js';
import { answerArea, failure, rolePairForm, settle } from './results.js';

const CAREER_PATH = `query CareerPath($from: String!, $to: String!) {
  careerPath(from: $from, to: $to) {
    totalNewTools
    steps {
      via
      role { slug title tagline }
      gainTools { slug name }
      learningResources { slug title provider url kind free }
    }
  }
}`;

const PAGE_TITLE = 'Career path';

export async function pathView(ctx) {
  const from = ctx.query.get('from') || '';
  const to = ctx.query.get('to') || '';
  ctx.loading(from && to ? 'Finding the way…' : 'Loading the roles…');
  // The path is asked for beside the roles, not after them.
  const first = from && to ? settle(findPath(from, to, ctx.signal)) : null;
  const roles = await allRoles({ signal: ctx.signal });
  const titles = new Map(roles.map((r) => [r.slug, r.title]));
  const answers = answerArea(ctx, 'path-answer', 'Finding the way…');

  const form = rolePairForm('/path', roles,
    [['path-from', 'from', 'The role you have', from], ['path-to', 'to', 'The role you want', to]], 'Show the way',
    (pick) => answers.show(`/path?${new URLSearchParams(pick)}`,
      async (signal) => present(pick.from, pick.to, await settle(findPath(pick.from, pick.to, signal)), titles)));

  ctx.show(PAGE_TITLE,
    h('header', { class: 'page-head' },
      h('h1', null, 'From your role to the next'),
      h('p', { class: 'lead' }, 'Pick the role you have and the one you want: we show the roles on the way, the tools each step asks for and where to learn them.')),
    form, answers.status, answers.area);

  if (first) {
    await answers.show(null, async () => present(from, to, await first, titles), { push: false });
  } else {
    answers.area.append(h('p', { class: 'muted' }, from ? `Now pick the role you want to reach from ${titles.get(from) || 'your role'}.`
      : to ? `Now pick the role you have, to see the way to ${titles.get(to) || 'the role you want'}.`
        : 'Pick two roles to see the way from one to the other.'));
  }
}

function findPath(from, to, signal) {
  return cachedGql(CAREER_PATH, { from, to }, { signal });
}

/** The answer for the page: { title, status, content }. */
function present(from, to, { data, err }, titles) {
  const name = (slug) => titles.get(slug) || `“${slug}”`;
  if (err) {
    const unknown = ['from', 'to'].find((field) => err instanceof ApiError && err.fieldError(field)?.extensions.code === 'NOT_FOUND');
    const answer = unknown
      ? failure(err, `We could not find the role ${name(unknown === 'from' ? from : to)}. Pick another above.`)
      : failure(err);
    return { title: PAGE_TITLE, ...answer };
  }
  const path = data.careerPath;
  if (!path) {
    return {
      title: `From ${name(from)} to ${name(to)}`,
      status: `No path joins ${name(from)} and ${name(to)}.`,
      content: h('div', { class: 'empty-state' },
        h('h2', { class: 'empty-title' }, 'No path joins these roles'),
        h('p', null, `No chain of related roles leads from ${name(from)} to ${name(to)}, so we cannot suggest steps between them. `,
          'Try a role close to the one you want, or ',
          h('a', { href: `/compare?${new URLSearchParams({ a: from, b: to })}` }, 'compare the two roles'), '.')),
    };
  }
  const steps = path.steps;
  const start = steps[0].role;
  const end = steps[steps.length - 1].role;
  if (steps.length === 1) {
    return {
      title: PAGE_TITLE,
      status: `${start.title} is the role you have. Pick another role to reach.`,
      content: h('p', { class: 'notice' }, `${start.title} is the role you have already. Pick another role to reach.`),
    };
  }
  const moves = steps.length - 1;
  const summary = `${moves} ${moves === 1 ? 'step' : 'steps'} from ${start.title} to ${end.title}, `
    + `with ${path.totalNewTools} new ${path.totalNewTools === 1 ? 'tool' : 'tools'} to learn.`;
  return {
    title: `From ${start.title} to ${end.title}`,
    status: summary,
    content: h('section', { class: 'path', 'aria-labelledby': 'path-title' },
      h('h2', { id: 'path-title' }, `From ${start.title} to ${end.title}`),
      h('dl', { class: 'path-stats' },
        h('div', null, h('dt', null, 'Steps'), h('dd', null, String(moves))),
        h('div', null, h('dt', null, 'New tools to learn'), h('dd', { class: 'path-total' }, String(path.totalNewTools)))),
      h('p', { class: 'muted' }, 'The shortest way over the links between roles: the fewest steps, and among those the fewest new tools.'),
      h('ol', { class: 'path-steps' }, steps.map((step, i) => stepItem(step, steps[i - 1]))),
      h('p', { class: 'actions' },
        h('a', { class: 'button', href: `/compare?${new URLSearchParams({ a: start.slug, b: end.slug })}` },
          `Compare ${start.title} and ${end.title}`))),
  };
}

function stepItem(step, before) {
  const { role } = step;
  return h('li', { class: before ? `path-step kind-${String(step.via).toLowerCase()}` : 'path-step' },
    h('p', { class: 'path-via' }, before ? stepLabel(step.via, before.role.title) : 'Where you start'),
    h('h3', { class: 'path-role' }, h('a', { href: rolePath(role.slug) }, role.title)),
    role.tagline ? h('p', { class: 'path-tagline' }, role.tagline) : null,
    before ? gainTools(step.gainTools, before.role.title) : null,
    resources(step.learningResources, role.title, !before));
}

function gainTools(tools, beforeTitle) {
  return h('div', { class: 'path-part' },
    h('h4', null, 'Tools to learn', h('span', { class: 'count' }, String(tools.length))),
    tools.length
      ? toolTags(tools)
      : h('p', { class: 'muted small' }, `None: ${beforeTitle} uses them all already.`));
}

/** Where to learn the role: open on the way, folded where you start. */
function resources(items, title, folded) {
  if (!items.length) return h('p', { class: 'muted small' }, `No learning resources are listed for ${title} yet.`);
  const list = h('ul', { class: 'path-resources' }, items.map((r) => h('li', null,
    externalLink(r.url, r.title),
    resourceMeta(r, 'span'))));
  if (folded) {
    return h('details', { class: 'path-part' },
      h('summary', null, `Brush up on ${title}`, h('span', { class: 'count' }, String(items.length))), list);
  }
  return h('div', { class: 'path-part' }, h('h4', null, 'Where to learn it'), list);
}
