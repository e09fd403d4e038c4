// What fits my tools: pick the tools you know (and, if you like, type your
// skills) to see the roles they fit best, from the API's matchRoles. The
// choice lives in the URL (/fit?tools=python,sql&skills=statistics), so it
// can be shared and survives a reload; choosing again shows the new answer
// below the form without rebuilding the page.

import { allTools, gqlWithErrors } from '../api.js';
import { h, rolePath, toolTags } from '../dom.js';
import { toolPicker } from '../toolpicker.js';
import { answerArea, failure, settle } from './results.js';

const MATCH = `query MatchRoles($tools: [String!]!, $skills: [String!]) {
  matchRoles(toolSlugs: $tools, skills: $skills, first: 20) {
    score
    role { slug title tagline }
    matchedTools { slug name }
    missingTools { slug name }
    matchedSkills
  }
}`;

const PAGE_TITLE = 'What fits my tools';

export async function fitView(ctx) {
  const tools = splitList(ctx.query.get('tools'));
  const skills = splitList(ctx.query.get('skills'));
  ctx.loading('Loading the tools…');
  const first = tools.length || skills.length ? settle(match(tools, skills, ctx.signal)) : null;
  const catalog = await allTools({ signal: ctx.signal });
  const names = new Map(catalog.map((t) => [t.slug, t.name]));
  const answers = answerArea(ctx, 'fit-answer', 'Finding the roles that fit…');

  const picker = toolPicker(catalog, tools);
  const skillsInput = h('input', {
    type: 'text', id: 'fit-skills', name: 'skills', value: skills.join(', '),
    autocomplete: 'off', 'aria-describedby': 'fit-skills-hint',
  });
  const form = h('form', { class: 'fit-form', action: '/fit', method: 'get' },
    picker.element,
    h('div', { class: 'field' },
      h('label', { for: skillsInput.id }, 'Your skills ', h('span', { class: 'optional' }, '(optional)')),
      skillsInput,
      h('p', { class: 'hint', id: 'fit-skills-hint' }, 'In your own words, separated by commas, such as: statistics, data visualisation.')),
    h('p', null, h('button', { type: 'submit', class: 'button primary' }, 'Show the roles that fit')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const pick = { tools: picker.chosen(), skills: splitList(skillsInput.value) };
    answers.show(fitURL(pick), async (signal) => {
      if (!pick.tools.length && !pick.skills.length) return nothingChosen();
      return present(pick, await settle(match(pick.tools, pick.skills, signal)), names);
    });
  });

  ctx.show(PAGE_TITLE,
    h('header', { class: 'page-head' },
      h('h1', null, 'What fits my tools'),
      h('p', { class: 'lead' }, 'Pick the tools you know, and your skills if you like: we show the roles they fit best, and what to learn next for each.')),
    form,
    h('section', { class: 'fit-results', 'aria-labelledby': 'fit-results-title' },
      h('h2', { id: 'fit-results-title' }, 'Roles that fit'),
      h('p', { class: 'muted' }, 'The score is the share of a role’s tools (and of its skills, when you give some) that you already have: 100% covers the role entirely, 50% half of it.'),
      answers.status, answers.area));

  if (first) await answers.show(null, async () => present({ tools, skills }, await first, names), { push: false });
  else answers.area.append(nothingChosen().content);
}

function match(tools, skills, signal) {
  return gqlWithErrors(MATCH, { tools, skills: skills.length ? skills : null }, { signal });
}

/** "a, b,,c " as ["a", "b", "c"]. */
function splitList(text) {
  return [...new Set(String(text || '').split(',').map((s) => s.trim()).filter(Boolean))];
}

/** The page's address for a choice, commas left readable. */
function fitURL({ tools, skills }) {
  const parts = [];
  if (tools.length) parts.push(`tools=${tools.map(encodeURIComponent).join(',')}`);
  if (skills.length) parts.push(`skills=${skills.map(encodeURIComponent).join(',')}`);
  return parts.length ? `/fit?${parts.join('&')}` : '/fit';
}

function nothingChosen() {
  return {
    title: PAGE_TITLE,
    status: '',
    content: h('p', { class: 'muted' }, 'Pick at least one tool, or type a skill, to see the roles that fit.'),
  };
}

/** The answer for the page: { title, status, content }. */
function present(pick, { data: answer, err }, names) {
  if (err) return { title: PAGE_TITLE, ...failure(err) };
  const { data, errors } = answer;
  const matches = data.matchRoles;
  const unknown = new Set(errors.map((e) => unknownTool(e, pick.tools)).filter(Boolean));
  const what = describe({ tools: pick.tools.filter((slug) => !unknown.has(slug)), skills: pick.skills });
  const notes = errors.length ? h('div', { class: 'notice', role: 'alert' },
    h('ul', { class: 'plain' }, errors.map((e) => h('li', null, leftOut(e, pick.tools))))) : null;
  if (!matches.length) {
    return {
      title: PAGE_TITLE,
      status: `No role fits ${what} yet.`,
      content: [notes, h('div', { class: 'empty-state' },
        h('p', { class: 'empty-title' }, `No role fits ${what} yet`),
        h('p', null, 'No role in the catalog lists these tools or asks for these skills. Add a few more tools, or try other words for your skills.'))],
    };
  }
  const best = matches[0];
  const fit = `${matches.length} ${matches.length === 1 ? 'role fits' : 'roles fit'} ${what}`;
  return {
    title: `Roles that fit ${toolNames(pick.tools, names) || 'my skills'}`,
    status: `${fit}. The best: ${best.role.title}, ${percent(best.score)}.`,
    content: [
      notes,
      h('p', { class: 'fit-summary' }, `${fit}, best first.`),
      h('ol', { class: 'match-list' }, matches.map(matchItem)),
    ],
  };
}

/** "Python, SQL and 3 more": the first few tools' names, for a title. */
function toolNames(slugs, names) {
  const shown = slugs.slice(0, 3).map((s) => names.get(s) || s);
  return slugs.length > 3 ? `${shown.join(', ')} and ${slugs.length - 3} more` : shown.join(', ');
}

/** "your 2 tools and 1 skill". */
function describe({ tools, skills }) {
  const parts = [];
  if (!tools.length && !skills.length) return 'what you gave';
  if (tools.length) parts.push(`${tools.length} ${tools.length === 1 ? 'tool' : 'tools'}`);
  if (skills.length) parts.push(`${skills.length} ${skills.length === 1 ? 'skill' : 'skills'}`);
  return `your ${parts.join(' and ')}`;
}

/** The slug of the tool an error says is unknown, if it says that. */
function unknownTool(e, tools) {
  const m = /^toolSlugs\[(\d+)\]$/.exec((e.extensions && e.extensions.field) || '');
  return m && e.extensions.code === 'BAD_USER_INPUT' ? tools[Number(m[1])] : undefined;
}

/** An error beside the answer, in words: an unknown tool names itself. */
function leftOut(e, tools) {
  const slug = unknownTool(e, tools);
  return slug !== undefined ? `We do not know a tool called “${slug}”, so the roles below leave it out.` : e.message;
}

const percent = (score) => `${Math.round(score * 100)}%`;

function matchItem(m) {
  const pct = percent(m.score);
  const fill = h('span', { class: 'match-bar-fill' });
  fill.style.width = pct; // through the CSSOM: the CSP forbids style attributes
  return h('li', { class: 'match' },
    h('div', { class: 'match-head' },
      h('h3', { class: 'match-role' }, h('a', { href: rolePath(m.role.slug) }, m.role.title)),
      h('p', { class: 'match-score' }, h('strong', null, pct), ' fit')),
    h('span', { class: 'match-bar', 'aria-hidden': 'true' }, fill),
    m.role.tagline ? h('p', { class: 'match-tagline' }, m.role.tagline) : null,
    h('dl', { class: 'match-parts' },
      h('div', null,
        h('dt', null, 'You have'),
        h('dd', null, m.matchedTools.length ? toolTags(m.matchedTools) : h('span', { class: 'muted small' }, 'None of its tools yet.'))),
      h('div', null,
        h('dt', null, 'To learn next'),
        h('dd', null, m.missingTools.length ? toolTags(m.missingTools) : h('span', { class: 'muted small' }, 'Nothing: you have every tool it lists.'))),
      m.matchedSkills.length ? h('div', null,
        h('dt', null, 'Skills of yours it asks for'),
        h('dd', null, h('ul', { class: 'bullets' }, m.matchedSkills.map((s) => h('li', null, s))))) : null));
}
