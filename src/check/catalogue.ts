/**
 * The codes `imprint check` reports besides its own lint rules: those the build itself reports (so a
 * writer can look every code up in one table) and those of the edition checks.
 */
import type { Severity } from '../diagnostics/diagnostic.ts';

export interface CodeEntry {
  code: string;
  severity: Severity;
  summary: string;
  fix: string;
}

/**
 * Reported while the manuscript is read (src/book, src/config, src/templates, src/pipeline) or while an
 * edition is made from it (src/outputs), by `imprint build`, `imprint preview` and `imprint check` alike.
 */
export const BUILD_CODES: readonly CodeEntry[] = [
  {
    code: 'no-book-yaml',
    severity: 'error',
    summary: 'The manuscript folder has no book.yaml.',
    fix: 'Create book.yaml with at least a line "title: Your Book".',
  },
  {
    code: 'not-utf8',
    severity: 'error',
    summary: 'A chapter or book.yaml is not UTF-8 text.',
    fix: 'Save the file as UTF-8 in your editor.',
  },
  {
    code: 'yaml-syntax',
    severity: 'error',
    summary: "book.yaml, a theme.yaml or a chapter's front matter is not valid YAML.",
    fix: 'Check the indentation and quote values that contain a colon.',
  },
  {
    code: 'yaml-aliases',
    severity: 'error',
    summary:
      'book.yaml or front matter repeats its anchors (*name) so often that expanding them would exhaust memory.',
    fix: 'Write the values out instead of repeating anchors (&name) with aliases (*name).',
  },
  {
    code: 'book-yaml-outside',
    severity: 'error',
    summary: 'book.yaml is a symlink to a file outside the manuscript folder.',
    fix: 'Copy the file itself into the manuscript folder instead of linking to it.',
  },
  {
    code: 'unreadable-file',
    severity: 'error',
    summary: 'A chapter or book.yaml cannot be read: a folder, no permission, or gone.',
    fix: 'Make it a readable text file.',
  },
  {
    code: 'yaml-not-a-map',
    severity: 'error',
    summary: 'The YAML is a list or a single value instead of "key: value" lines.',
    fix: 'Write one "key: value" setting a line.',
  },
  {
    code: 'unknown-key',
    severity: 'warning',
    summary: 'A setting Imprint does not know; it is ignored.',
    fix: 'Fix its spelling (the message suggests the closest key) or remove it.',
  },
  {
    code: 'invalid-setting',
    severity: 'error',
    summary:
      'A setting with a value of the wrong kind (a number where text belongs, a length without unit …).',
    fix: 'Give the value the message asks for.',
  },
  {
    code: 'unknown-theme',
    severity: 'error',
    summary: 'book.yaml names a theme that is neither a folder in templates/ nor an installed package.',
    fix: 'Fix the name, create the theme folder, or npm install the theme package.',
  },
  {
    code: 'theme-file-outside',
    severity: 'error',
    summary: 'A theme file is a symlink that leads outside its theme folder, or cannot be read.',
    fix: 'Copy the file itself into the theme folder instead of linking to it.',
  },
  {
    code: 'font-missing',
    severity: 'error',
    summary: "A font named in the theme's theme.yaml is not installed.",
    fix: 'Install the @fontsource package it names, or fix theme.yaml.',
  },
  {
    code: 'glyph-missing',
    severity: 'warning',
    summary:
      'A character no font of the theme has; it would print as an empty box or in a system font. Named with its Unicode name, at its first occurrence.',
    fix: "Add a @fontsource package that covers it to the theme's theme.yaml (fonts and stacks), or replace the character.",
  },
  {
    code: 'empty-book',
    severity: 'error',
    summary: 'The manuscript has no chapters.',
    fix: 'Add a Markdown file (01-chapter.md) or list the chapters in book.yaml.',
  },
  {
    code: 'missing-chapter',
    severity: 'error',
    summary:
      'A chapter listed in book.yaml, or a link to a .md file, names a chapter that is not in the book.',
    fix: 'Check the file name against the chapters in book.yaml.',
  },
  {
    code: 'chapter-outside',
    severity: 'error',
    summary:
      'A chapter that lies outside the manuscript folder: listed by a path that leaves it, or a symlink that leads out of it.',
    fix: 'Move or copy the chapter itself into the manuscript folder and list it by its file name.',
  },
  {
    code: 'chapter-not-a-file',
    severity: 'error',
    summary: 'A chapter (listed in book.yaml, or a name ending in .md) is a folder, not a file.',
    fix: 'List Markdown files as chapters; rename a folder whose name ends in .md.',
  },
  {
    code: 'nesting-too-deep',
    severity: 'error',
    summary:
      'Lists, block quotes, brackets or HTML elements nested more than 100 levels deep; what lies deeper is read as plain text.',
    fix: 'Flatten the nesting, and close the brackets and elements you open.',
  },
  {
    code: 'paragraph-too-complex',
    severity: 'error',
    summary:
      'One paragraph holds more than 4000 emphasis, code or link marks (the parser slows with their square); the rest are read as plain text.',
    fix: 'Split it into paragraphs with blank lines between them.',
  },
  {
    code: 'empty-chapter',
    severity: 'warning',
    summary: 'A chapter file with no text.',
    fix: 'Write it, or remove it from the book.',
  },
  {
    code: 'chapter-untitled',
    severity: 'warning',
    summary: 'A chapter with neither a "title:" in its front matter nor a "# " heading.',
    fix: 'Add "title:" to its front matter or start it with a "# Title" heading.',
  },
  {
    code: 'figure-src',
    severity: 'error',
    summary: 'A `::figure` without src that is not marked fpo.',
    fix: 'Add src="images/photo.jpg", or mark the figure fpo.',
  },
  {
    code: 'figure-fpo',
    severity: 'warning',
    summary: 'A figure marked fpo ("for position only"): a placeholder stands where the image will go.',
    fix: 'Replace it with the final image and remove fpo before the book goes to print.',
  },
  {
    code: 'missing-image',
    severity: 'error',
    summary: 'An image file that does not exist.',
    fix: 'Check the file name, or mark the figure fpo until the image arrives.',
  },
  {
    code: 'image-format',
    severity: 'error',
    summary: 'An image in a format not every edition can show.',
    fix: 'Convert it to JPEG, PNG, GIF, WebP or SVG.',
  },
  {
    code: 'image-outside',
    severity: 'error',
    summary:
      'An image given by an absolute path, a file: URL, a path that leaves the manuscript folder, or a symlink that leads out of it.',
    fix: 'Copy the image itself into the manuscript folder (e.g. images/) and refer to it by a relative path.',
  },
  {
    code: 'svg-unsafe',
    severity: 'warning',
    summary:
      'An SVG image held active or outside content (script, event handlers, foreignObject, animation, links out, a DOCTYPE with entities); the editions use it without them.',
    fix: 'Nothing is needed; export a plain SVG from the drawing program to silence it.',
  },
  {
    code: 'unknown-directive',
    severity: 'error',
    summary:
      'A directive (`::name`, `:::name`, `:name[…]`) Imprint does not know; a block one loses its content.',
    fix: 'Fix the name (the message suggests the closest one): pullquote, aside, related, figure, :pull[…].',
  },
  {
    code: 'unknown-attribute',
    severity: 'warning',
    summary:
      'A directive has an attribute its component does not take (`:::pullquote{cit="…"}`); it is ignored.',
    fix: 'Fix the name (the message suggests the closest one) or remove the attribute.',
  },
  {
    code: 'component-field',
    severity: 'error',
    summary:
      "A directive's attribute fails its component's schema: an empty value, a flag that is not true/false, a link that is not a web address or a chapter.",
    fix: 'Give the attribute a valid value (the message says which) or remove it.',
  },
  {
    code: 'unsafe-html',
    severity: 'warning',
    summary:
      'Raw HTML that would run code or load other pages (script, iframe, on* handlers, style …); it is removed.',
    fix: "Delete it; styling belongs in the theme's CSS.",
  },
  {
    code: 'missing-anchor',
    severity: 'warning',
    summary: 'A link to #id that no heading or note in the book has.',
    fix: 'Link to a heading as [text](chapter.md#heading-text), the heading text in lowercase with hyphens.',
  },
  {
    code: 'print-size',
    severity: 'warning',
    summary: 'print.size in book.yaml is not a page size; the PDF falls back to 6in 9in.',
    fix: 'Write two lengths such as "6in 9in" or "148mm 210mm", or a name such as A5 or letter.',
  },
  {
    code: 'hyphenation-language',
    severity: 'warning',
    summary: "There are no hyphenation patterns for the book's language; the PDF is set without hyphens.",
    fix: 'Set lang in book.yaml to a tag such as en, en-GB, de or fr, or set print.hyphenate: false.',
  },
  {
    code: 'long-chapter-title',
    severity: 'warning',
    summary: 'A chapter title so long that it fills the opening page and is shortened in the running heads.',
    fix: 'Shorten the title and move the rest into a deck: line in the front matter.',
  },
  {
    code: 'missing-cover',
    severity: 'error',
    summary: 'The cover image named in book.yaml does not exist.',
    fix: 'Fix the path (relative to the manuscript folder), or remove "cover:" to get a generated cover.',
  },
  {
    code: 'cover-outside',
    severity: 'error',
    summary:
      'The cover in book.yaml is an absolute path, leaves the manuscript folder, or is a symlink that leads out of it.',
    fix: 'Copy the cover image into the manuscript folder and name it by its relative path.',
  },
  {
    code: 'cover-format',
    severity: 'error',
    summary: 'The cover image is not a JPEG, PNG or GIF.',
    fix: 'Save the cover as a JPEG or PNG, about 1600×2400 pixels.',
  },
  {
    code: 'cover-template',
    severity: 'error',
    summary:
      "The theme's cover.html would load a file (an img, svg, link or url() in its CSS); a generated cover is drawn from text and the theme's fonts only.",
    fix: 'Draw the cover with text, boxes, borders and backgrounds in CSS; to use a picture, name it as "cover:" in book.yaml.',
  },
  {
    code: 'font-load',
    severity: 'error',
    summary: 'A font of the theme did not load while printing; the PDF would fall back to a system font.',
    fix: 'Reinstall the @fontsource package it comes from (npm install), or fix the font in theme.yaml.',
  },
  {
    code: 'image-broken',
    severity: 'error',
    summary:
      'An image or cover that cannot be decoded to its last byte (truncated, not an image, or not in the format its name says), or an SVG that is not well-formed.',
    fix: 'Export it again from the program that made it, or replace the file.',
  },
  {
    code: 'print-request',
    severity: 'error',
    summary:
      'The print document asked for a file that is not a local file of the book (a remote URL in the theme or manuscript).',
    fix: 'Remove the reference from the theme (print.css, components) or the manuscript, or save the file locally.',
  },
  {
    code: 'print-timeout',
    severity: 'error',
    summary: 'Chromium did not load or print the print document in time; the PDF was not written.',
    fix: 'Look for a very large image or table in the manuscript, or a rule in print.css that never settles.',
  },
  {
    code: 'wide-table',
    severity: 'warning',
    summary: 'A table wider than the text block of the PDF; its cells break words anywhere to fit.',
    fix: 'Give it fewer columns or shorter cells, or split it into two tables.',
  },
  {
    code: 'code-overflow',
    severity: 'warning',
    summary:
      'A code block with lines longer than the text block of the PDF; they break where the text block ends, marked ↩.',
    fix: 'Shorten the line (break it where the language allows), or let it wrap.',
  },
  {
    code: 'wide-block',
    severity: 'warning',
    summary:
      'Something reaches past the text block of the PDF; Imprint wrapped it (code) or scaled it to fit.',
    fix: 'Make it narrower (shorter code lines, a smaller image or table), or accept the wrapping or scaling.',
  },
  {
    code: 'pull-quote-dropped',
    severity: 'info',
    summary:
      'A pull-quote that would be printed on the spread of the words it repeats, in a chapter with no place for it on a later spread; the PDF leaves it out (the EPUB and HTML keep it).',
    fix: 'Lift words from earlier in the chapter, or accept it: the words stay in the text.',
  },
  {
    code: 'page-list-missing',
    severity: 'info',
    summary:
      'The EPUB edition has no list of print pages: no PDF of the same content was built in this run or before.',
    fix: 'Build the PDF in the same run (imprint build --format pdf,epub) or once before.',
  },
  {
    code: 'page-list-gap',
    severity: 'info',
    summary:
      'Some print pages have no marker in the EPUB and HTML page-lists: the print broke more than one block away from the layout Imprint measured before it, and a wrong marker would be worse than none.',
    fix: 'Nothing to fix in the manuscript; report it with the book if it happens often.',
  },
  {
    code: 'out-inside-manuscript',
    severity: 'error',
    summary:
      '`--out` is the manuscript folder or a folder inside it, where a build could overwrite the manuscript.',
    fix: 'Build next to the manuscript: --out dist, or --out . from the folder that holds it.',
  },
  {
    code: 'out-not-imprint',
    severity: 'error',
    summary:
      'An edition would replace a file or folder Imprint did not make (not in .imprint-manifest.json, no .imprint-edition marker), such as a folder named like the book.',
    fix: 'Build into another folder with --out, or move that file or folder away.',
  },
  {
    code: 'out-not-folder',
    severity: 'error',
    summary: '`--out` (or a folder above it) is a file.',
    fix: 'Give --out the path of a folder.',
  },
  {
    code: 'out-unwritable',
    severity: 'error',
    summary: 'You have no permission to write to the output folder.',
    fix: 'Make it writable (chmod u+w), or build elsewhere with --out.',
  },
  {
    code: 'out-read-only',
    severity: 'error',
    summary: 'The output folder is on a read-only file system.',
    fix: 'Build into a folder you can write to with --out.',
  },
  {
    code: 'out-disk-full',
    severity: 'error',
    summary: 'The disk (or your quota) filled up while the editions were written; nothing was replaced.',
    fix: 'Free some space, or write elsewhere (--out for build, TMPDIR for check).',
  },
  {
    code: 'out-write-failed',
    severity: 'error',
    summary: 'Writing the editions failed for another reason the system gives (an I/O error …).',
    fix: 'Check the disk and the output folder, then build again.',
  },
  {
    code: 'out-locked',
    severity: 'error',
    summary: 'Another build kept writing to the same output folder for the whole wait (5 minutes).',
    fix: 'Let it finish and build again; if no build runs, delete the .imprint-lock file it names.',
  },
  {
    code: 'out-lock-stale',
    severity: 'info',
    summary: 'The lock of a build that no longer runs (killed) was taken over.',
    fix: 'Nothing to do.',
  },
  {
    code: 'browser-missing',
    severity: 'error',
    summary:
      "The PDF (and `check`'s accessibility run on the EPUB) needs Chrome or Chromium, and none was found.",
    fix: 'Run the install command the message gives, or set PUPPETEER_EXECUTABLE_PATH to a Chrome or Chromium.',
  },
  {
    code: 'browser-failed',
    severity: 'error',
    summary: 'Chromium did not start, crashed or stopped answering during the build.',
    fix: 'Check that PUPPETEER_EXECUTABLE_PATH names a Chrome or Chromium; build again.',
  },
  {
    code: 'preview-failed',
    severity: 'error',
    summary: 'The preview could not read the book for a reason that is not in the manuscript.',
    fix: 'Report it with the message shown; the preview shows the last good version meanwhile.',
  },
  {
    code: 'press-ghostscript',
    severity: 'error',
    summary:
      'The press files (`--format print`) need Ghostscript and its ICC profiles, and they are missing or failed.',
    fix: 'Install Ghostscript: sudo apt-get install -y ghostscript (npm install as root does it).',
  },
];

/** Reported by the edition checks: building each edition, then epubcheck, Ace and the PDF checks. */
export const EDITION_CODES: readonly CodeEntry[] = [
  {
    code: 'edition-unavailable',
    severity: 'info',
    summary: 'This version of Imprint cannot make that edition yet, so it was not checked.',
    fix: 'Nothing to do in the manuscript.',
  },
  {
    code: 'edition-failed',
    severity: 'error',
    summary: 'Building an edition failed.',
    fix: 'Run `imprint build` to see the full error, and report it if the message does not say what to change.',
  },
  {
    code: 'tool-missing',
    severity: 'error',
    summary:
      'A program an edition check needs (java and epubcheck, pdfinfo, pdffonts, qpdf) is not installed.',
    fix: 'Install it: sudo apt-get install -y epubcheck default-jre-headless poppler-utils qpdf.',
  },
  {
    code: 'html-invalid',
    severity: 'error',
    summary: 'The HTML edition does not parse cleanly as HTML.',
    fix: 'Report it: the HTML edition is generated and should always be well-formed.',
  },
  {
    code: 'epubcheck:<ID>',
    severity: 'error',
    summary:
      'A message of epubcheck about the EPUB, with its own id (epubcheck:RSC-005); errors and warnings as epubcheck rates them.',
    fix: 'The message names the file inside the EPUB; most come from the manuscript (a broken link, a missing alt).',
  },
  {
    code: 'ace:<rule>',
    severity: 'error',
    summary:
      'An accessibility violation found by Ace by DAISY (ace:heading-order); critical and serious ones are errors, moderate and minor ones warnings.',
    fix: "Follow the rule's explanation at kb.daisy.org or dequeuniversity.com, linked in the message.",
  },
  {
    code: 'pdf-unreadable',
    severity: 'error',
    summary: 'pdfinfo cannot read the PDF.',
    fix: 'Report it: a PDF edition that does not parse is a bug.',
  },
  {
    code: 'pdf-fonts-not-embedded',
    severity: 'error',
    summary: 'A font of the PDF is not embedded, so the printer would substitute it.',
    fix: "Use fonts from @fontsource packages named in the theme's theme.yaml.",
  },
  {
    code: 'pdf-type3-font',
    severity: 'error',
    summary:
      'A Type 3 font in the PDF: a faked bold or italic, a colour emoji or a CFF face, which printers reject.',
    fix: 'Give the theme every weight and style the book uses (theme.yaml), static TrueType faces only, and monochrome emoji.',
  },
  {
    code: 'pdf-foreign-font',
    severity: 'error',
    summary:
      "A font in the PDF that is not one of the theme's fonts: a system font stood in for a missing glyph.",
    fix: 'Look for glyph-missing warnings and add a font that covers those characters to theme.yaml.',
  },
  {
    code: 'pdf-no-outline',
    severity: 'error',
    summary: 'The PDF has no outline (bookmarks), so readers cannot navigate it.',
    fix: 'Give the chapters titles and headings; the outline is made from them.',
  },
  {
    code: 'pdf-untagged',
    severity: 'error',
    summary: 'The PDF is not tagged, so assistive technology cannot read its structure.',
    fix: 'Report it: the PDF edition is always printed tagged.',
  },
];

/**
 * Reported by `imprint check --preflight kdp|ingramspark` on the press files; README.md ("Sending the book to a
 * printer") names the service's rule behind each.
 */
export const PREFLIGHT_CODES: readonly CodeEntry[] = [
  {
    code: 'preflight-trim-size',
    severity: 'error',
    summary: "print.size is not one of the service's trim sizes.",
    fix: 'Set print.size to a size the message lists.',
  },
  {
    code: 'preflight-page-count',
    severity: 'error',
    summary:
      'The interior has fewer or more pages than the service binds (KDP: 24 to 828 on white paper, 776 on cream).',
    fix: 'Add pages, use a larger trim size, or choose another service.',
  },
  {
    code: 'preflight-margins',
    severity: 'error',
    summary:
      "Text (a folio and running heads included) comes closer to the trim or the spine than the service allows for the book's page count, as measured in the press interior.",
    fix: 'Widen print.margins (the message gives the inside margin needed), or move folios and heads inwards in print.css.',
  },
  {
    code: 'preflight-image-resolution',
    severity: 'warning',
    summary:
      'An image prints below 300 dpi at its placed size; the message gives its file, line and effective dpi.',
    fix: 'Use an image with more pixels, or print it smaller.',
  },
  {
    code: 'preflight-fonts',
    severity: 'error',
    summary: 'A font of the press interior or the cover is not embedded.',
    fix: "Use fonts from @fontsource packages named in the theme's theme.yaml.",
  },
  {
    code: 'preflight-color',
    severity: 'error',
    summary: 'A page of a black-and-white interior (print.color: false) uses cyan, magenta or yellow ink.',
    fix: 'Report it (every colour should become grey); or set print.color: true for a colour interior.',
  },
  {
    code: 'preflight-pdfx',
    severity: 'error',
    summary:
      "A press file is not PDF/X (no GTS_PDFXVersion or no output intent); as a note, it is another PDF/X version than the service's default.",
    fix: 'Send the files `imprint build --format print` writes; for the note, confirm with the service that PDF/X-3:2002 is accepted.',
  },
  {
    code: 'preflight-boxes',
    severity: 'error',
    summary:
      'A page of the press interior lacks a TrimBox of the trim size or a BleedBox print.bleed beyond it on the outer edges.',
    fix: 'Report it: the press interior sets both boxes on every page.',
  },
  {
    code: 'preflight-annotations',
    severity: 'error',
    summary: 'The interior carries links, other annotations or bookmarks, which KDP rejects.',
    fix: 'Send the press interior (<slug>.print.pdf), not the reading PDF.',
  },
  {
    code: 'preflight-blank-pages',
    severity: 'error',
    summary: 'More than two blank pages in a row (KDP).',
    fix: 'Remove empty chapters or sections, or give the blank pages content.',
  },
  {
    code: 'preflight-cover-size',
    severity: 'error',
    summary:
      "The cover sheet is not back + spine + front with bleed for the interior's page count and paper.",
    fix: 'Do not set a page size in cover-print.html: Imprint sizes the sheet.',
  },
  {
    code: 'preflight-spine-text',
    severity: 'error',
    summary: 'The cover has text on the spine of a book with fewer than 79 pages.',
    fix: 'Leave the spine empty in cover-print.html below that page count (the default template does).',
  },
  {
    code: 'preflight-file-size',
    severity: 'error',
    summary: 'A press file is larger than the service accepts (KDP: interior 650 MB, cover 40 MB).',
    fix: 'Use smaller images (300 dpi at the printed size is enough).',
  },
  {
    code: 'preflight-isbn',
    severity: 'error',
    summary:
      'The ISBN in book.yaml has a wrong check digit (the cover gets no barcode); a warning for IngramSpark when there is no ISBN at all.',
    fix: 'Copy the ISBN exactly as your ISBN agency issued it, as identifier: urn:isbn:978….',
  },
];

export const CATALOGUE_CODES: readonly string[] = [...BUILD_CODES, ...EDITION_CODES, ...PREFLIGHT_CODES].map(
  (entry) => entry.code,
);
