// A role's page: every section of the seed page, in its order, plus the
// role's neighbourhood drawn as a graph and a card partners can embed.

import { cachedGql } from '../api.js';
import { externalLink, h, list, paragraphs, resourceMeta, rolePath, toolTags } from '../dom.js';
import { neighbourhood } from '../graph.js';
import { familyLabel, periodLabel, RELATION_ORDER, RELATIONS } from '../labels.js';
import { newsletterForm } from '../newsletter.js';

const ROLE_PAGE = `query RolePage($slug: String!) {
  role(slug: $slug) {
    slug title family tagline description skills responsibilities
    toolGroups { label tools { slug name } }
    advantages disadvantages goodFit conclusion
    salary { currency period min median max region basis proxy source sourceUrl year }
    learningResources { slug title provider url kind free description }
    relatedRoles { kind note role { slug title } }
    occupations { system code title match url }
    sources { title publisher url accessed }
    reviewedOn
  }
}`;

export async function roleView(ctx) {
  const [slug] = ctx.params;
  ctx.loading('Loading the role…');
  const { role } = await cachedGql(ROLE_PAGE, { slug }, { signal: ctx.signal });
  if (!role) {
    ctx.notFound('Role', `No role has the address “${slug}”. It may have been renamed or removed.`);
    return;
  }
  const sections = [
    section('about', 'About the role', paragraphs(role.description)),
    section('skills', 'Skills and expertise', list(role.skills, 'bullets')),
    section('responsibilities', 'Main tasks and responsibilities', list(role.responsibilities, 'bullets')),
    section('tools', 'Main tools and software', toolGroups(role.toolGroups)),
    section('pros-cons', 'Advantages & disadvantages', prosCons(role)),
    section('fit', 'Is this career a good fit for me?', paragraphs(role.goodFit)),
    section('salary', 'Salary expectations', salary(role)),
    section('learn', 'Useful links', resources(role.learningResources)),
    role.conclusion ? section('conclusion', 'Conclusion', paragraphs(role.conclusion)) : null,
    section('related', 'Related roles', related(role)),
    section('sources', 'Sources and occupation codes', provenance(role)),
    section('embed', 'Show this role on your site', embedSnippet(role)),
    section('newsletter', 'Stay informed with our monthly newsletter', newsletterForm()),
  ].filter(Boolean);

  ctx.show(role.title,
    breadcrumb(role),
    h('header', { class: 'page-head role-head' },
      h('p', { class: 'eyebrow' }, familyLabel(role.family)),
      h('h1', null, role.title),
      h('p', { class: 'lead' }, role.tagline),
      h('p', { class: 'actions' },
        h('a', { class: 'button', href: `/compare?a=${encodeURIComponent(role.slug)}` }, 'Compare with another role'),
        h('a', { class: 'button', href: `/path?from=${encodeURIComponent(role.slug)}` }, 'Find a path from this role to…'))),
    h('div', { class: 'role-layout' },
      contents(sections),
      h('div', { class: 'role-body' }, sections)));
}

function breadcrumb(role) {
  return h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
    h('ol', null,
      h('li', null, h('a', { href: '/' }, 'Roles')),
      h('li', null, h('a', { href: `/?family=${role.family}` }, familyLabel(role.family))),
      h('li', null, h('a', { href: rolePath(role.slug), 'aria-current': 'page' }, role.title))));
}

function section(id, title, ...content) {
  return h('section', { id, class: `role-section section-${id}`, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title), content);
}

/** "On this page": in-page links to every section; folded on small screens. */
function contents(sections) {
  const wide = window.matchMedia('(min-width: 1100px)').matches;
  return h('nav', { class: 'toc', 'aria-label': 'On this page' },
    h('details', { open: wide },
      h('summary', null, 'On this page'),
      h('ul', null, sections.map((sec) => h('li', null,
        h('a', { href: `#${sec.id}` }, sec.querySelector('h2').textContent))))));
}

function toolGroups(groups) {
  if (!groups.length) return h('p', { class: 'muted' }, 'No tools are listed for this role yet.');
  return h('dl', { class: 'tool-groups' }, groups.map((g) => [
    h('dt', null, g.label),
    h('dd', null, toolTags(g.tools)),
  ]));
}

function prosCons(role) {
  return h('div', { class: 'pros-cons' },
    h('div', { class: 'pros' }, h('h3', null, 'Advantages'), list(role.advantages, 'checks')),
    h('div', { class: 'cons' }, h('h3', null, 'Disadvantages'), list(role.disadvantages, 'crosses')));
}

function salary(role) {
  const pay = role.salary;
  if (!pay) {
    return h('div', { class: 'empty-state' },
      h('p', { class: 'empty-title' }, 'No reliable figure yet'),
      h('p', null, 'We only show salaries we can source, and we have no trustworthy figure for this role yet. Rather than guess, we have left it blank.'));
  }
  const money = (n) => new Intl.NumberFormat('en', { style: 'currency', currency: pay.currency, maximumFractionDigits: 0 }).format(n);
  let range = null;
  if (pay.min != null && pay.max != null) range = `Most earn between ${money(pay.min)} and ${money(pay.max)}.`;
  else if (pay.min != null) range = `One in ten earns less than ${money(pay.min)}.`;
  else if (pay.max != null) range = `One in ten earns more than ${money(pay.max)}.`;
  return h('div', { class: 'salary' },
    h('p', { class: 'salary-median' }, h('strong', null, money(pay.median)), ` ${periodLabel(pay.period)}, the median in ${pay.region}`),
    range ? h('p', null, range) : null,
    h('p', { class: 'salary-basis' }, 'Figures for the occupation ', h('strong', null, pay.basis),
      pay.proxy
        ? [' ', h('span', { class: 'badge proxy', title: 'The occupation is broader than this role, so its figures describe the role only approximately.' }, 'proxy'),
          ': broader than this role, so a guide rather than a measure.']
        : '.'),
    h('p', { class: 'muted small' }, 'Source: ',
      pay.sourceUrl ? externalLink(pay.sourceUrl, pay.source) : pay.source, `, ${pay.year}.`));
}

const SYSTEMS = { ONET_SOC: 'O*NET-SOC', ISCO_08: 'ISCO-08' };
const MATCHES = {
  EXACT: 'the same work',
  BROADER: 'includes this role',
  NARROWER: 'part of this role',
  RELATED: 'related',
};

/** Where the role's facts come from, and its official occupation codes. */
function provenance(role) {
  return [
    role.occupations.length ? h('table', { class: 'occupations' },
      h('caption', null, 'Official occupations this role maps to'),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'System'), h('th', { scope: 'col' }, 'Code'),
        h('th', { scope: 'col' }, 'Occupation'), h('th', { scope: 'col' }, 'Match'))),
      h('tbody', null, role.occupations.map((o) => h('tr', null,
        h('td', null, SYSTEMS[o.system] || o.system),
        h('td', null, h('code', null, o.code)),
        h('td', null, externalLink(o.url, o.title)),
        h('td', null, MATCHES[o.match] || o.match))))) : null,
    role.sources.length ? h('ul', { class: 'sources' }, role.sources.map((s) => h('li', null,
      externalLink(s.url, s.title), h('span', { class: 'muted small' }, ` ${s.publisher}, read ${s.accessed}`)))) : null,
    h('p', { class: 'muted small reviewed' }, `Last checked by an editor on ${role.reviewedOn}.`),
  ];
}

function resources(items) {
  if (!items.length) return h('p', { class: 'muted' }, 'No learning resources are listed for this role yet.');
  return h('ul', { class: 'resources' }, items.map((r) => h('li', null,
    h('p', { class: 'resource-title' }, externalLink(r.url, r.title)),
    resourceMeta(r),
    r.description ? h('p', { class: 'resource-text' }, r.description) : null)));
}

function related(role) {
  if (!role.relatedRoles.length) return h('p', { class: 'muted' }, 'No related roles are listed yet.');
  const groups = RELATION_ORDER
    .map((kind) => ({ kind, items: role.relatedRoles.filter((r) => r.kind === kind) }))
    .filter((g) => g.items.length > 0);
  return [
    neighbourhood(role, role.relatedRoles),
    h('div', { class: 'related-lists' }, groups.map((g) => h('div', { class: 'related-group' },
      h('h3', null, RELATIONS[g.kind].heading),
      h('ul', { class: 'related' }, g.items.map((r) => h('li', null,
        h('a', { href: rolePath(r.role.slug) }, r.role.title),
        r.note ? h('p', { class: 'muted small' }, r.note) : null)))))),
  ];
}

/** The one-tag snippet a partner pastes to show this role's card. */
function embedSnippet(role) {
  const code = `<div data-finder-role="${role.slug}"></div>\n<script src="${location.origin}/embed.js" async></script>`;
  const status = h('span', { class: 'copy-status', role: 'status' });
  const copy = h('button', { type: 'button', class: 'button small', onclick: async () => {
    try {
      await navigator.clipboard.writeText(code);
      status.textContent = 'Copied.';
    } catch {
      status.textContent = 'Select the code and copy it.';
    }
  } }, 'Copy the code');
  return [
    h('p', null, 'Paste this into any web page to show a card for this role, with a link back here. ',
      h('a', { href: `/embed/roles/${encodeURIComponent(role.slug)}`, target: '_blank' }, 'See the card'), '.'),
    h('pre', { class: 'code', tabindex: '0', 'aria-label': 'Embed code' }, h('code', null, code)),
    h('p', null, copy, ' ', status),
  ];
}
