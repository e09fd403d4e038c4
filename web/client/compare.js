// Comparing two roles: what they share and what sets each apart. Kept to
// one function over plain data so that it can give way to the API's own
// compareRoles when that arrives, without touching the page.

/**
 * Compares roles a and b ({ skills: [string], tools: [{ slug, name }] }):
 * tools by slug, skills by their words (case and punctuation aside). Every
 * list keeps the order of the role it comes from (a's for shared ones).
 */
export function compareRoles(a, b) {
  const toolKey = (t) => t.slug;
  const skillKey = (skill) => skill.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const [sharedTools, onlyATools, onlyBTools] = split(a.tools, b.tools, toolKey);
  const [sharedSkills, onlyASkills, onlyBSkills] = split(a.skills, b.skills, skillKey);
  return {
    tools: { shared: sharedTools, onlyA: onlyATools, onlyB: onlyBTools },
    skills: { shared: sharedSkills, onlyA: onlyASkills, onlyB: onlyBSkills },
  };
}

function split(listA, listB, key) {
  const inA = new Set(listA.map(key));
  const inB = new Set(listB.map(key));
  return [
    listA.filter((x) => inB.has(key(x))),
    listA.filter((x) => !inB.has(key(x))),
    listB.filter((x) => !inA.has(key(x))),
  ];
}
