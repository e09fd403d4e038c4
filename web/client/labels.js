// Names for people of the API's enum values, in the schema's own words.

/** Role families, in the schema's order, with what each covers. */
export const FAMILIES = [
  ['ENGINEERING', 'Engineering', 'Building software: back-end, front-end, full-stack, mobile, games, embedded and architecture.'],
  ['DATA', 'Data', 'Turning data into answers and products: analysis, data science, data engineering and machine learning.'],
  ['INFRASTRUCTURE', 'Infrastructure', 'Running systems: DevOps, site reliability, cloud, networks and system administration.'],
  ['SECURITY', 'Security', 'Protecting systems and data: security engineering, analysis and testing.'],
  ['QUALITY', 'Quality', 'Making sure software works: testing, test automation and performance.'],
  ['DESIGN', 'Design', 'Shaping what people see and feel: UX, UI, product design, research and writing.'],
  ['PRODUCT', 'Product', 'Deciding what to build and why: product management and analysis.'],
  ['MANAGEMENT', 'Management', 'Leading people, projects and organisations.'],
  ['EMERGING', 'Emerging tech', 'Newer fields still taking shape: AI, extended reality, blockchain, quantum and robotics.'],
].map(([value, label, blurb]) => ({ value, label, blurb }));

export const familyLabel = (value) => (FAMILIES.find((f) => f.value === value) || { label: value }).label;

const CATEGORIES = {
  PROGRAMMING_LANGUAGE: 'Programming language',
  DATABASE: 'Database',
  WEB_SERVER: 'Web server',
  API_FRAMEWORK: 'API framework',
  FRONTEND_FRAMEWORK: 'Front-end framework',
  MOBILE_FRAMEWORK: 'Mobile framework',
  DEVELOPMENT_TOOL: 'Development tool',
  CLOUD_PLATFORM: 'Cloud platform',
  INFRASTRUCTURE: 'Infrastructure',
  CI_CD: 'CI/CD',
  TESTING_FRAMEWORK: 'Testing',
  MONITORING: 'Monitoring',
  DATA_TOOL: 'Data tool',
  MACHINE_LEARNING: 'Machine learning',
  SECURITY_TOOL: 'Security tool',
  DESIGN_TOOL: 'Design tool',
  COLLABORATION: 'Collaboration',
  OPERATING_SYSTEM: 'Operating system',
  OTHER: 'Other',
};

export const categoryLabel = (value) => CATEGORIES[value] || value;

/** Tool categories in the order pages group them. */
export const CATEGORY_ORDER = Object.keys(CATEGORIES);

const RESOURCE_KINDS = {
  COURSE: 'Course',
  TUTORIAL: 'Tutorial',
  PODCAST: 'Podcast',
  VIDEO: 'Video',
  BOOK: 'Book',
  ARTICLE: 'Article',
  DOCUMENTATION: 'Documentation',
  CERTIFICATION: 'Certification',
};

export const resourceKindLabel = (value) => RESOURCE_KINDS[value] || value;

/**
 * Relation kinds, read from the role whose page it is towards the other:
 * short is the legend's name, heading groups the list of related roles,
 * and step says, on a career path, how a step follows the role before it
 * ({role} is that role's title).
 */
export const RELATIONS = {
  COLLABORATES_WITH: { short: 'Works with', heading: 'Works with', step: 'Works with {role}' },
  OVERLAPS_WITH: { short: 'Overlaps with', heading: 'Overlaps with', step: 'Overlaps with {role}' },
  NEXT_STEP: { short: 'Next step', heading: 'Natural next steps', step: 'The next step after {role}' },
  PREVIOUS_STEP: { short: 'Step before', heading: 'Often comes after', step: 'Often comes before {role}' },
  SPECIALIZATION_OF: { short: 'Broader role', heading: 'A specialisation of', step: 'The broader role {role} specialises' },
  GENERALIZATION_OF: { short: 'Specialisation', heading: 'Specialised forms', step: 'A specialisation of {role}' },
};

/** Relation kinds in the order pages list them. */
export const RELATION_ORDER = Object.keys(RELATIONS);

export const relationLabel = (kind) => (RELATIONS[kind] || { short: kind }).short;

/** How a career path's step follows the role before it, in words. */
export const stepLabel = (kind, previousTitle) =>
  (RELATIONS[kind] ? RELATIONS[kind].step : `${relationLabel(kind)}: {role}`).replace('{role}', () => previousTitle);

const PERIODS = { YEAR: 'a year', MONTH: 'a month', HOUR: 'an hour' };

export const periodLabel = (value) => PERIODS[value] || value.toLowerCase();
