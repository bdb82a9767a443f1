/*
 * The web book's page script (a classic script: module scripts and fetch do not run on file: pages). It adds
 * the contents drawer on narrow screens, the arrow keys for the previous and next chapter, search through
 * MiniSearch and the index script loaded on first use, and the print page the reader is at when the pages
 * carry page-break anchors (<span role="doc-pagebreak" id="page-N">). Without it the pages still read.
 */
(() => {
  const root = document.documentElement;
  root.classList.add('js');
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();

  function start() {
    /* The contents drawer: a button on narrow screens, always open on wide ones (CSS decides). */
    const toggle = document.querySelector('.sidebar-toggle');
    const sidebar = document.getElementById('book-sidebar');
    const setDrawer = (open) => {
      root.classList.toggle('sidebar-open', open);
      if (toggle) toggle.setAttribute('aria-expanded', String(open));
    };
    if (toggle && sidebar) {
      toggle.hidden = false;
      toggle.addEventListener('click', () => setDrawer(!root.classList.contains('sidebar-open')));
      sidebar.addEventListener('click', (event) => {
        if (event.target.closest('a')) setDrawer(false);
      });
      const current = sidebar.querySelector('[aria-current="page"]');
      if (current) current.scrollIntoView({ block: 'nearest' });
    }

    /* Arrow keys follow rel="prev" / rel="next", unless the reader is typing or holds a modifier. */
    document.addEventListener('keydown', (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.defaultPrevented) return;
      const target = event.target;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      if (event.key === 'Escape') {
        setDrawer(false);
        return;
      }
      const rel = event.key === 'ArrowLeft' ? 'prev' : event.key === 'ArrowRight' ? 'next' : '';
      const link = rel && document.querySelector(`link[rel="${rel}"]`);
      if (link) {
        event.preventDefault();
        window.location.href = link.href;
      }
    });

    /* The print page: the last page-break anchor above the top of the window. */
    const indicator = document.querySelector('.print-page');
    const breaks = Array.from(document.querySelectorAll('[role="doc-pagebreak"][id^="page-"]'));
    if (indicator && breaks.length) {
      const label = indicator.getAttribute('data-label') || 'p.';
      const pageOf = (element) => element.getAttribute('aria-label') || element.id.slice('page-'.length);
      let scheduled = false;
      const update = () => {
        scheduled = false;
        let page = '';
        for (const element of breaks) {
          if (element.getBoundingClientRect().top > 80) break;
          page = pageOf(element);
        }
        if (!page) {
          // Above the first break the reader is on the page before it, when pages are numbered in figures.
          const first = Number(pageOf(breaks[0]));
          page = first > 1 ? String(first - 1) : pageOf(breaks[0]);
        }
        indicator.textContent = `${label} ${page}`;
        indicator.hidden = false;
      };
      window.addEventListener(
        'scroll',
        () => {
          if (!scheduled) {
            scheduled = true;
            window.requestAnimationFrame(update);
          }
        },
        { passive: true },
      );
      update();
    }

    /* Search: MiniSearch and the book's index are plain scripts, loaded the first time the field is used. */
    const form = document.querySelector('.book-search');
    const input = document.getElementById('book-search-input');
    const results = document.getElementById('book-search-results');
    if (!form || !input || !results) return;
    let engine;
    let loading;
    const loadScript = (src) =>
      new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = src;
        script.onload = resolve;
        script.onerror = () => reject(new Error(`Could not load ${src}`));
        document.head.appendChild(script);
      });
    const load = () => {
      loading ??= loadScript(input.getAttribute('data-library'))
        .then(() => loadScript(input.getAttribute('data-index')))
        .then(() => {
          const data = window[form.getAttribute('data-global')];
          // The same folding as the build's foldTerm (src/outputs/html/search-index.ts).
          const processTerm = (term) => term.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
          // The build ships the sections, not an index (a rebuild then never indexes the whole book again):
          // they are indexed here, in pieces that leave the page responsive.
          const index = new window.MiniSearch({ ...data.options, processTerm });
          return index.addAllAsync(data.documents).then(() => {
            engine = index;
          });
        });
      return loading;
    };
    const show = () => {
      const query = input.value.trim();
      results.textContent = '';
      if (!query || !engine) {
        results.hidden = true;
        return;
      }
      const hits = engine
        .search(query, { prefix: true, fuzzy: 0.2, boost: { title: 2 }, combineWith: 'AND' })
        .slice(0, 12);
      for (const hit of hits) {
        const item = document.createElement('li');
        const link = document.createElement('a');
        link.href = hit.href;
        const title = document.createElement('span');
        title.className = 'search-result-title';
        title.textContent = hit.title;
        link.appendChild(title);
        if (hit.chapter && hit.chapter !== hit.title) {
          const chapter = document.createElement('span');
          chapter.className = 'search-result-chapter';
          chapter.textContent = hit.chapter;
          link.appendChild(chapter);
        }
        item.appendChild(link);
        results.appendChild(item);
      }
      if (!hits.length) {
        const item = document.createElement('li');
        item.className = 'search-empty';
        item.textContent = input.getAttribute('data-empty');
        results.appendChild(item);
      }
      results.hidden = false;
    };
    input.addEventListener('focus', () => load().catch(() => {}));
    input.addEventListener('input', () => load().then(show, () => {}));
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        input.value = '';
        show();
      }
    });
    // A click anywhere else puts the results away; the field keeps its words for the next look.
    document.addEventListener('click', (event) => {
      if (!form.contains(event.target)) results.hidden = true;
    });
    input.addEventListener('focus', () => {
      if (input.value.trim() && engine) show();
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const first = results.querySelector('a');
      if (first) window.location.href = first.href;
    });
  }
})();
