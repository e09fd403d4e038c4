/*
 * Finder role cards for partner sites.
 *
 *   <div data-finder-role="back-end-developer"></div>
 *   <script src="https://FINDER-HOST/embed.js" async></script>
 *
 * Every div with data-finder-role becomes a card (title, tagline, top skills
 * and tools, a link to the role's Finder page), drawn inside a shadow root so
 * that the host page's CSS and the card's never touch. data-finder-theme
 * picks "light" (the default), "dark" or "auto" (the reader's system).
 *
 * This is a guest on someone else's page: it never throws, never writes
 * outside its cards, and on any failure draws a small "role not found" card.
 * It is a plain script, not a module, so it runs from a single tag anywhere.
 */
(function () {
  'use strict';

  // The server puts the card's stylesheet (web/embed/card.css) here when it
  // serves this file, so the iframe card and this one look the same.
  var CARD_CSS = "__FINDER_CARD_CSS__";

  var QUERY = 'query RoleCard($slug: String!) { role(slug: $slug) { slug title tagline skills tools { name } } }';
  var SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  var TOP_SKILLS = 3;
  var TOP_TOOLS = 6;
  var THEMES = { light: true, dark: true, auto: true };

  var origin = finderOrigin();
  var answers = {}; // slug -> Promise of the role (or null), shared by cards
  var mounted = typeof WeakSet === 'function' ? new WeakSet() : null;
  var sheet = null;
  var counter = 0;

  /** The Finder server is wherever this script was loaded from. */
  function finderOrigin() {
    try {
      var s = document.currentScript;
      if (!s || !s.src) {
        s = document.querySelector('script[src*="/embed.js"]');
      }
      return new URL(s.src, location.href).origin;
    } catch (e) {
      return location.origin;
    }
  }

  /** The role, fetched once per slug with the API's public GET form. */
  function fetchRole(slug) {
    if (!answers[slug]) {
      var url = origin + '/graphql?query=' + encodeURIComponent(QUERY) +
        '&variables=' + encodeURIComponent(JSON.stringify({ slug: slug }));
      answers[slug] = fetch(url, { mode: 'cors', credentials: 'omit' })
        .then(function (res) {
          if (!res.ok) throw new Error('HTTP ' + res.status);
          return res.json();
        })
        .then(function (body) {
          return (body && body.data && body.data.role) || null;
        });
    }
    return answers[slug];
  }

  /** Builds an element with a class and text; never parses HTML. */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function outLink(href, text) {
    var a = el('a', null, text);
    a.href = href;
    a.target = '_blank';
    a.rel = 'noopener';
    return a;
  }

  function brand(text) {
    var p = el('p', 'fc-brand');
    var logo = el('span', 'fc-logo');
    logo.setAttribute('aria-hidden', 'true');
    p.append(logo, text);
    return p;
  }

  function article(theme, extraClass) {
    var card = el('article', 'fc fc-' + theme + (extraClass ? ' ' + extraClass : ''));
    card.id = 'fc-' + (++counter);
    return card;
  }

  function roleCard(role, theme) {
    var card = article(theme);
    var page = origin + '/roles/' + encodeURIComponent(role.slug);
    var title = el('h2', 'fc-title');
    title.id = card.id + '-title';
    title.append(outLink(page, role.title));
    card.setAttribute('aria-labelledby', title.id);
    card.append(brand('Finder · a role in tech'), title, el('p', 'fc-tagline', role.tagline));

    var skills = (role.skills || []).slice(0, TOP_SKILLS);
    if (skills.length) {
      var ul = el('ul', 'fc-skills');
      skills.forEach(function (s) { ul.append(el('li', null, s)); });
      card.append(el('h3', 'fc-label', 'Top skills'), ul);
    }
    var tools = (role.tools || []).slice(0, TOP_TOOLS);
    if (tools.length) {
      var chips = el('ul', 'fc-chips');
      tools.forEach(function (t) { chips.append(el('li', null, t.name)); });
      card.append(el('h3', 'fc-label', 'Tools'), chips);
    }
    var more = el('p', 'fc-more');
    var link = outLink(page, 'See the whole role on Finder');
    var arrow = el('span', null, ' →');
    arrow.setAttribute('aria-hidden', 'true');
    link.append(arrow);
    more.append(link);
    card.append(more);
    return card;
  }

  function missingCard(theme) {
    var card = article(theme, 'fc-missing');
    var title = el('h2', 'fc-title', 'Role not found');
    title.id = card.id + '-title';
    card.setAttribute('aria-labelledby', title.id);
    var text = el('p', 'fc-tagline', 'We could not show this role. ');
    text.append(outLink(origin + '/', 'Browse every role on Finder'));
    card.append(brand('Finder'), title, text);
    return card;
  }

  function loadingCard(theme) {
    var card = article(theme, 'fc-loading');
    card.setAttribute('aria-busy', 'true');
    card.append(brand('Finder'), el('p', 'fc-tagline', 'Loading the role…'));
    return card;
  }

  /** Gives a shadow root the card's styles: one shared sheet where the browser can. */
  function style(root) {
    try {
      if (root.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === 'function') {
        if (!sheet) {
          sheet = new CSSStyleSheet();
          sheet.replaceSync(CARD_CSS);
        }
        root.adoptedStyleSheets = [sheet];
        return;
      }
    } catch (e) {
      // Fall back to a <style> element below.
    }
    root.append(el('style', null, CARD_CSS));
  }

  function mount(host) {
    if (mounted) {
      if (mounted.has(host)) return;
      mounted.add(host);
    }
    if (host.shadowRoot) return; // someone else's, or ours from an earlier copy of this script
    var root;
    try {
      root = host.attachShadow({ mode: 'open' });
    } catch (e) {
      return; // the host cannot take a card; leave it as it is
    }
    style(root);
    var slug = (host.getAttribute('data-finder-role') || '').trim();
    var theme = (host.getAttribute('data-finder-theme') || 'light').trim().toLowerCase();
    if (!THEMES[theme]) theme = 'light';
    var show = function (card) {
      var old = root.querySelector('.fc');
      if (old) old.replaceWith(card); else root.append(card);
    };
    if (!SLUG.test(slug)) {
      show(missingCard(theme));
      return;
    }
    show(loadingCard(theme));
    fetchRole(slug)
      .then(function (role) { show(role ? roleCard(role, theme) : missingCard(theme)); })
      .catch(function () { show(missingCard(theme)); });
  }

  function scan(root) {
    try {
      var hosts = root.querySelectorAll('div[data-finder-role]');
      for (var i = 0; i < hosts.length; i++) mount(hosts[i]);
    } catch (e) {
      // A card that cannot be drawn must not break the host page.
    }
  }

  /** Cards added later (by a single-page app, say) are drawn too. */
  function watch() {
    if (typeof MutationObserver !== 'function') return;
    new MutationObserver(function (changes) {
      try {
        changes.forEach(function (change) {
          change.addedNodes.forEach(function (node) {
            if (node.nodeType !== 1) return;
            if (node.matches('div[data-finder-role]')) mount(node);
            scan(node);
          });
        });
      } catch (e) {
        // As in scan: the host page comes first.
      }
    }).observe(document.documentElement, { childList: true, subtree: true });
  }

  function start() {
    scan(document);
    watch();
  }

  try {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', start);
    } else {
      start();
    }
  } catch (e) {
    // Never break the host page.
  }
})();
