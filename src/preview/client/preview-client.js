// The preview client, loaded by every preview page. It listens to the server's event stream and keeps the
// page in step with the manuscript: it reloads the page (keeping the scroll position) when the page's
// content changed, swaps the stylesheet in place when only the CSS changed, shows manuscript errors over
// the page, lays out the print view's pages as spreads, and draws a small toolbar to switch views and
// jump to a chapter. Plain browser JavaScript, no dependencies: it is served as is. A classic script, not
// a module: Chromium runs no module scripts in XML documents, and the EPUB view's pages are XHTML.

(() => {
  const script = document.currentScript;
  const VIEW = script?.dataset.view ?? 'screen';
  const PAGE = script?.dataset.page ?? VIEW;
  const CHAPTER = script?.dataset.chapter;
  const VERSION = script?.dataset.version ?? '';
  const STYLESHEET = script?.dataset.stylesheet;
  let stylesheetVersion = script?.dataset.stylesheetVersion ?? '';
  const SCROLL_KEY = `imprint-preview-scroll:${location.pathname}`;
  const PX_PER_PT = 96 / 72;

  /** The latest state from the server. */
  let state;
  let reloading = false;

  // ---- scroll position across reloads ------------------------------------------------------------------

  history.scrollRestoration = 'manual';

  /** The nearest element with an id at the top of the window, and how far above or below the top it is. */
  function scrollAnchor() {
    const hit = document.elementFromPoint(window.innerWidth / 2, 8);
    const anchor = hit?.closest('[id]');
    return anchor ? { id: anchor.id, top: anchor.getBoundingClientRect().top } : {};
  }

  function saveScroll() {
    sessionStorage.setItem(
      SCROLL_KEY,
      JSON.stringify({ x: window.scrollX, y: window.scrollY, ...scrollAnchor() }),
    );
  }

  async function restoreScroll() {
    const saved = sessionStorage.getItem(SCROLL_KEY);
    if (!saved) return;
    sessionStorage.removeItem(SCROLL_KEY);
    const { x, y, id, top } = JSON.parse(saved);
    // Fonts change line breaks, so the place to return to is known only once they are in.
    await document.fonts.ready;
    const anchor = id ? document.getElementById(id) : null;
    const target = anchor ? anchor.getBoundingClientRect().top + window.scrollY - top : y;
    window.scrollTo(x, target);
  }

  function reload(url) {
    if (reloading) return;
    reloading = true;
    saveScroll();
    if (url) location.href = url;
    else location.reload();
  }

  // ---- stylesheet swap -------------------------------------------------------------------------------

  /** Loads the new version of the edition stylesheet beside the old one, then drops the old one. */
  function swapStylesheet(version) {
    const links = [...document.querySelectorAll('link[rel~="stylesheet"]')].filter(
      (link) => new URL(link.href).pathname.split('/').pop() === STYLESHEET,
    );
    const last = links.at(-1);
    if (!last) return reload();
    const fresh = last.cloneNode();
    fresh.href = `${STYLESHEET}?v=${encodeURIComponent(version)}`;
    fresh.addEventListener('load', () => {
      for (const link of links) link.remove();
    });
    fresh.addEventListener('error', () => reload());
    last.after(fresh);
    stylesheetVersion = version;
  }

  // ---- shadow-DOM widgets ------------------------------------------------------------------------------

  /** A custom element whose content and styles live in a shadow root, untouched by the book's CSS. */
  function widget(name) {
    const host = document.createElement(name);
    const root = host.attachShadow({ mode: 'open' });
    // Hidden until preview-client.css is in, so nothing shows unstyled. (DOM calls, not innerHTML: in the
    // EPUB view the document is XHTML, where innerHTML must be well-formed XML.)
    const hidden = document.createElement('style');
    hidden.textContent = ':host { display: none }';
    const body = element('div', { class: 'body' });
    root.append(hidden, element('link', { rel: 'stylesheet', href: '/__imprint/preview-client.css' }), body);
    document.body.append(host);
    return { host, root, body };
  }

  function element(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === false) continue;
      if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : value);
    }
    node.append(...children.filter((child) => child !== undefined && child !== null));
    return node;
  }

  // ---- error overlay --------------------------------------------------------------------------------

  let overlay;
  let dismissed = '';

  function showErrors(errors) {
    const key = JSON.stringify(errors);
    if (!errors.length) {
      overlay?.host.remove();
      overlay = undefined;
      dismissed = '';
      return;
    }
    if (key === dismissed) return;
    if (!overlay) {
      overlay = widget('imprint-error-overlay');
      overlay.host.addEventListener('click', (event) => {
        if (event.composedPath()[0] === overlay.body) dismiss(key);
      });
    }
    const count = errors.length === 1 ? 'An error' : `${errors.length} errors`;
    overlay.body.className = 'body overlay';
    overlay.body.replaceChildren(
      element(
        'div',
        { class: 'panel', role: 'alertdialog', 'aria-label': 'Manuscript errors' },
        element('h2', {}, `${count} in the manuscript`),
        ...errors.map((error) =>
          element(
            'section',
            { class: 'error' },
            element('div', { class: 'location' }, error.location),
            element('div', { class: 'message' }, error.message),
            error.hint ? element('div', { class: 'hint' }, error.hint) : undefined,
            element('div', { class: 'code' }, `[${error.code}]`),
          ),
        ),
        element(
          'p',
          { class: 'tip' },
          'Fix the file and save it: this message goes away by itself. Click outside it or press Esc to hide it.',
        ),
      ),
    );
    overlay.dismiss = () => dismiss(key);
  }

  function dismiss(key) {
    dismissed = key;
    overlay?.host.remove();
    overlay = undefined;
  }

  addEventListener('keydown', (event) => {
    if (event.key === 'Escape') overlay?.dismiss();
  });

  // ---- toolbar -------------------------------------------------------------------------------------

  let toolbar;
  let menuOpen = false;

  /** The chapter the reader is in now, so switching views lands in the same place. */
  function currentChapter() {
    if (!state) return undefined;
    // A page of its own (the EPUB's documents, the web book's chapter pages) names its chapter.
    if (VIEW === 'epub' || CHAPTER) return CHAPTER;
    if (VIEW === 'screen') {
      let found;
      for (const chapter of state.chapters) {
        const node = document.getElementById(chapter.id);
        if (node && node.getBoundingClientRect().top <= window.innerHeight / 3) found = chapter.id;
      }
      return found;
    }
    const page = firstVisiblePage();
    let found;
    for (const [id, start] of Object.entries(state.print.chapters)) {
      if (start <= page && (!found || start >= state.print.chapters[found])) found = id;
    }
    return found;
  }

  function chapterHref(view, chapter) {
    if (view === 'screen') return chapter ? `/screen/${chapter.screen}` : '/screen/';
    if (view === 'epub') return chapter ? `/epub/${encodeURIComponent(chapter.epub)}` : '/epub/';
    const page = chapter ? state.print.chapters[chapter.id] : undefined;
    return page ? `/print/#page-${page}` : '/print/';
  }

  function goTo(view, chapter) {
    const href = chapterHref(view, chapter);
    if (view === VIEW && view === 'print') {
      const page = chapter && document.getElementById(`page-${state.print.chapters[chapter.id]}`);
      page?.scrollIntoView({ block: 'start' });
      history.replaceState(null, '', href);
    } else {
      location.href = href;
    }
  }

  function renderToolbar() {
    toolbar ??= widget('imprint-preview-bar');
    const here = state.chapters.find((chapter) => chapter.id === currentChapter());
    const views = [
      ['screen', 'Screen'],
      ['print', 'Print'],
      ['epub', 'EPUB'],
    ];
    const status = statusText();
    const menu = element(
      'ol',
      { class: 'chapters', hidden: !menuOpen },
      ...state.chapters.map((chapter) =>
        element(
          'li',
          {},
          element(
            'a',
            {
              href: chapterHref(VIEW, chapter),
              'aria-current': chapter === here ? 'true' : undefined,
              onclick: (event) => {
                event.preventDefault();
                menuOpen = false;
                menu.hidden = true;
                goTo(VIEW, chapter);
              },
            },
            chapter.title,
          ),
        ),
      ),
    );
    toolbar.body.className = 'body bar';
    toolbar.body.replaceChildren(
      element(
        'nav',
        { 'aria-label': 'Preview' },
        element(
          'div',
          { class: 'views', role: 'group', 'aria-label': 'View' },
          ...views.map(([view, label]) =>
            element(
              'a',
              {
                href: chapterHref(view, here),
                'aria-current': view === VIEW ? 'page' : undefined,
                onclick: (event) => {
                  event.preventDefault();
                  goTo(
                    view,
                    state.chapters.find((chapter) => chapter.id === currentChapter()),
                  );
                },
              },
              label,
            ),
          ),
        ),
        ...(VIEW === 'epub' ? stepLinks() : []),
        element(
          'button',
          {
            type: 'button',
            class: 'chapters-button',
            'aria-haspopup': 'true',
            'aria-expanded': String(menuOpen),
            onclick: () => {
              menuOpen = !menuOpen;
              // Drawn again, so the list marks the chapter the reader is in now.
              renderToolbar();
            },
          },
          'Chapters',
        ),
        menu,
        element(
          'span',
          { class: `status ${status.kind}`, role: 'status', title: status.title ?? '' },
          status.text,
        ),
      ),
    );
  }

  /** Previous and next document in the EPUB's reading order, as a reading system turns from one to the next. */
  function stepLinks() {
    const order = ['', ...state.chapters.map((chapter) => chapter.epub)];
    const at = order.indexOf(CHAPTER ? (state.chapters.find((c) => c.id === CHAPTER)?.epub ?? '') : '');
    const link = (file, label, text) =>
      element(
        'a',
        {
          class: 'step',
          href: file === undefined ? undefined : `/epub/${file}`,
          'aria-label': label,
          'aria-disabled': file === undefined ? 'true' : undefined,
        },
        text,
      );
    return [link(at > 0 ? order[at - 1] : undefined, 'Previous', '‹'), link(order[at + 1], 'Next', '›')];
  }

  function statusText() {
    if (disconnected) {
      return { kind: 'bad', text: 'Disconnected', title: 'Is imprint preview still running? Reconnecting…' };
    }
    if (state.errors.length) {
      return { kind: 'bad', text: state.errors.length === 1 ? '1 error' : `${state.errors.length} errors` };
    }
    if (VIEW === 'print' && !state.print.unavailable && (state.print.building || !state.print.current)) {
      return { kind: 'busy', text: 'Updating…' };
    }
    const warnings = state.warnings ? ` · ${state.warnings} warning${state.warnings === 1 ? '' : 's'}` : '';
    return { kind: 'ok', text: `Up to date${warnings}`, title: 'Warnings are listed in the terminal.' };
  }

  // ---- print view ------------------------------------------------------------------------------------

  let shownGeneration = 0;

  function firstVisiblePage() {
    for (const page of document.querySelectorAll('.imprint-page')) {
      if (page.getBoundingClientRect().bottom > 0) return Number(page.dataset.page);
    }
    return 1;
  }

  function pageElement(generation, number, [width, height]) {
    const wrapper = element('div', {
      class: 'imprint-page',
      id: `page-${number}`,
      'data-page': String(number),
    });
    wrapper.style.setProperty('--page-width', `${width * PX_PER_PT}px`);
    wrapper.style.aspectRatio = `${width} / ${height}`;
    wrapper.append(
      element('img', {
        src: `/print/pages/${generation}/${number}.png`,
        alt: `Page ${number}`,
        loading: number <= 4 ? 'eager' : 'lazy',
        decoding: 'async',
      }),
      element('span', { class: 'imprint-folio' }, String(number)),
    );
    return wrapper;
  }

  /** Pages two by two as they face each other in the bound book: page 1 alone on the right, then 2–3, 4–5 … */
  function spreads(generation, pages) {
    const rows = [];
    for (let first = 0; first < pages.length; first += first === 0 ? 1 : 2) {
      const row = element('div', { class: 'imprint-spread' });
      if (first === 0)
        row.append(element('div', { class: 'imprint-page imprint-blank', 'aria-hidden': 'true' }));
      const numbers = first === 0 ? [1] : [first + 1, first + 2].filter((n) => n <= pages.length);
      for (const number of numbers) row.append(pageElement(generation, number, pages[number - 1]));
      if (first === 0) row.firstChild.style.setProperty('--page-width', `${pages[0][0] * PX_PER_PT}px`);
      rows.push(row);
    }
    return rows;
  }

  /**
   * The banner and the out-of-date mark. The pages shown are current only when the latest book is printed
   * and its pages are the ones in the window: until the new pages are swapped in, the old ones stay marked.
   */
  function showPrintStatus() {
    const main = document.getElementById('imprint-spreads');
    const print = state.print;
    let banner = document.getElementById('imprint-print-banner');
    if (!banner) {
      banner = element('div', { id: 'imprint-print-banner', class: 'imprint-banner', role: 'status' });
      main.before(banner);
    }
    const stale = !print.current || print.generation !== shownGeneration;
    document.body.classList.toggle('imprint-stale', stale && shownGeneration > 0);
    document.body.dataset.printGeneration = String(shownGeneration);
    banner.className = `imprint-banner ${print.unavailable || print.problem ? 'is-problem' : stale ? 'is-busy' : 'is-ok'}`;
    if (print.unavailable) {
      banner.replaceChildren(print.unavailable);
    } else if (print.problem) {
      banner.replaceChildren(
        print.problem,
        shownGeneration ? ' The pages below are from before the change.' : '',
      );
    } else if (stale) {
      banner.replaceChildren(
        element('span', { class: 'spinner', 'aria-hidden': 'true' }),
        shownGeneration
          ? 'Updating the pages… the pages below are from before your last change.'
          : 'Making the pages…',
      );
    } else {
      const count = `${print.pages.length} page${print.pages.length === 1 ? '' : 's'}`;
      const pdf = element(
        'a',
        { href: `/print/${print.generation}/${state.slug}.pdf`, target: '_blank' },
        'Open the PDF',
      );
      banner.replaceChildren(`${count}, as in the PDF edition (PDF pass ${print.buildMs} ms). `, pdf);
    }
  }

  async function renderPrint() {
    const main = document.getElementById('imprint-spreads');
    if (!main) return;
    showPrintStatus();
    const print = state.print;
    if (!print.generation || print.generation === shownGeneration) return;
    const generation = print.generation;
    // Load the pages in view before swapping, so the new layout replaces the old one without a blank moment.
    const anchor = firstVisiblePage();
    const offset = document.getElementById(`page-${anchor}`)?.getBoundingClientRect().top ?? 0;
    const visible = [anchor, anchor + 1, anchor + 2, anchor + 3].filter((n) => n <= print.pages.length);
    await Promise.all(
      visible.map((n) => {
        const image = new Image();
        image.src = `/print/pages/${generation}/${n}.png`;
        return image.decode().catch(() => {});
      }),
    );
    if (state.print.generation !== generation || shownGeneration >= generation) return;
    const first = shownGeneration === 0;
    main.replaceChildren(...spreads(generation, print.pages));
    shownGeneration = generation;
    showPrintStatus();
    if (first) {
      if (location.hash.startsWith('#page-'))
        document.getElementById(location.hash.slice(1))?.scrollIntoView();
    } else {
      const page = document.getElementById(`page-${Math.min(anchor, print.pages.length)}`);
      if (page) window.scrollBy(0, page.getBoundingClientRect().top - offset);
    }
  }

  // ---- state -------------------------------------------------------------------------------------------

  let disconnected = false;

  function apply(next) {
    state = next;
    const version = state.pages[PAGE];
    if (version === undefined) {
      // The page is gone: its chapter's file was renamed (chapters added or removed before it), the chapter
      // was removed, or the book is readable again. Go to the same chapter, else to the view's first page.
      const same = state.chapters.find((chapter) => chapter.id === CHAPTER);
      if (VIEW === 'epub') return reload(`/epub/${same ? same.epub : ''}`);
      // A web book became one page (or back), or the chapter's page was renamed.
      if (VIEW === 'screen' && PAGE !== 'screen') return reload(`/screen/${same ? same.screen : ''}`);
      return reload();
    }
    if (version !== VERSION) return reload();
    const sheet = STYLESHEET && state.stylesheets[VIEW];
    if (sheet && sheet !== stylesheetVersion) swapStylesheet(sheet);
    showErrors(state.errors);
    renderToolbar();
    if (VIEW === 'print') void renderPrint();
  }

  function connect() {
    const events = new EventSource(`/__imprint/events?view=${encodeURIComponent(VIEW)}`);
    events.addEventListener('state', (event) => {
      disconnected = false;
      apply(JSON.parse(event.data));
    });
    events.addEventListener('error', () => {
      disconnected = true;
      if (state) renderToolbar();
    });
  }

  async function start() {
    await restoreScroll();
    connect();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
  else void start();
})();
