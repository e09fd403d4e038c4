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
 * The card's markup is the server's: one template (web/embed/card.html) for
 * the iframe card and these. This script fetches a role's card from
 * /embed/roles/{slug}?fragment=true; its loading card, and the cards it
 * shows for an unknown role or when Finder cannot be reached, are put in
 * by the server when it serves this file.
 *
 * This is a guest on someone else's page: it never throws, never writes
 * outside its cards, and on any failure draws a small card saying so.
 * It is a plain script, not a module, so it runs from a single tag anywhere.
 */
(function () {
  'use strict';

  // Put here by the server when it serves this file (web/web.go).
  var CARD_CSS = "__FINDER_CARD_CSS__";
  var LOADING = "__FINDER_CARD_LOADING__";
  var MISSING = "__FINDER_CARD_MISSING__";
  var OFFLINE = "__FINDER_CARD_OFFLINE__";

  var SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  var THEMES = { light: true, dark: true, auto: true };

  var origin = finderOrigin();
  var answers = {}; // slug and theme -> Promise of the card's markup, shared by cards
  var mounted = typeof WeakSet === 'function' ? new WeakSet() : null;
  var sheet = null;

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

  /** The card's markup, fetched once per slug and theme. */
  function fetchCard(slug, theme) {
    var key = slug + ' ' + theme;
    if (!answers[key]) {
      var url = origin + '/embed/roles/' + slug + '?fragment=true&theme=' + theme;
      answers[key] = fetch(url, { mode: 'cors', credentials: 'omit' })
        .then(function (res) {
          // A 404 is the server's own card for a role it does not know.
          if (!res.ok && res.status !== 404) throw new Error('HTTP ' + res.status);
          return res.text();
        });
    }
    return answers[key];
  }

  /** One of the cards put in this script, for this theme. */
  function ownCard(markup, theme) {
    return markup.split('__FINDER_THEME__').join(theme).split('__FINDER_ORIGIN__').join(origin);
  }

  /** The card element of the server's markup; nothing else of it is kept. */
  function parse(markup) {
    var t = document.createElement('template');
    t.innerHTML = markup;
    return t.content.querySelector('.fc');
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
    var el = document.createElement('style');
    el.textContent = CARD_CSS;
    root.append(el);
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
    var show = function (markup) {
      var card = parse(markup);
      if (!card) return;
      var old = root.querySelector('.fc');
      if (old) old.replaceWith(card); else root.append(card);
    };
    if (!SLUG.test(slug)) {
      show(ownCard(MISSING, theme));
      return;
    }
    show(ownCard(LOADING, theme));
    fetchCard(slug, theme)
      .then(show)
      .catch(function () { show(ownCard(OFFLINE, theme)); });
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
