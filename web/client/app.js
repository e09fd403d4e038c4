// The Finder web client: roles by family, search, role and tool pages, a
// comparison, a career path between two roles and the roles that fit a
// person's tools, all from /graphql. Plain modules, no build step, nothing
// loaded from another site.

import { start } from './router.js';
import { setupSearch } from './search.js';
import { compareView } from './views/compare.js';
import { fitView } from './views/fit.js';
import { homeView } from './views/home.js';
import { pathView } from './views/path.js';
import { roleView } from './views/role.js';
import { toolView } from './views/tool.js';

const ROUTES = [
  { path: /^\/$/, view: homeView },
  { path: /^\/roles\/([^/]+)\/?$/, view: roleView },
  { path: /^\/tools\/([^/]+)\/?$/, view: toolView },
  { path: /^\/compare\/?$/, view: compareView },
  { path: /^\/path\/?$/, view: pathView },
  { path: /^\/fit\/?$/, view: fitView },
];

setupSearch(document.getElementById('search'));
start(ROUTES, document.getElementById('main'));
