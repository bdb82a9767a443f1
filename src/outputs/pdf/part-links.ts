/**
 * The dead-link rule of the whole print document (assemble.ts `withoutDeadLinks`: a `#` link whose target is no
 * id of the document loses its href), applied part by part as the parts are made, so that each part can go to
 * Chromium at once (stream-print-document.ts). A link to a later part cannot be settled when its own part is
 * made: it is kept, and checked once every part is made. Every id a part can hold is either in the chapters' own
 * trees or one the print adds while preparing a chapter (`imprint-block-…`, `imprint-pull-…`), so a link to
 * neither is dead at once. A link to a file relative to the document is dead in the PDF (isFileLink).
 */
import type { Element, Root } from 'hast';
import { leavesTheManuscript } from '../../pipeline/addresses.ts';
import { linkTarget } from '../assemble.ts';

/** Ids the print document adds to a chapter while preparing it (print-document.ts). */
const ADDED_ID = /^imprint-/;

/**
 * Whether `href` names the document itself or a file relative to it (``, `notes.txt`, `02-next.html`): in the PDF
 * that is a file beside the print document, in a folder the build removes, so the link leads nowhere. `imprint
 * check` reports each (`link-unresolved`); the print keeps the words and drops the link. An address without a
 * scheme (`//example.org/`) is not one: see printedHref.
 */
export function isFileLink(href: string): boolean {
  return !href.trim().startsWith('#') && !leavesTheManuscript(href);
}

/**
 * The address a link of the manuscript prints with: none for a file (isFileLink), `https:` before an address
 * without a scheme (resolved against the print document's `file:` URL, it would name a file on that host).
 */
function printedHref(href: string): string | undefined {
  if (isFileLink(href)) return undefined;
  return href.trim().startsWith('//') ? `https:${href.trim()}` : href;
}

/** The print's address for the link `link` (printedHref), written onto it. */
function settleAddress(link: Element): void {
  const href = link.properties.href;
  if (link.tagName !== 'a' || typeof href !== 'string') return;
  const printed = printedHref(href);
  if (printed === undefined) delete link.properties.href;
  else if (printed !== href) link.properties.href = printed;
}

/** Adds every string `id` under `part` to `ids`. */
export function collectIds(part: Root | Element, ids: Set<string>): void {
  for (const child of part.children) {
    if (child.type !== 'element') continue;
    if (typeof child.properties.id === 'string') ids.add(child.properties.id);
    collectIds(child, ids);
  }
}

/**
 * Gives each link under `part` the address it prints with (printedHref: none for a file), and takes the href off
 * each `#` link whose target is certainly no id of the whole document: not in
 * `made` (the ids of the parts made so far, this one included), not in `coming` (the ids the chapters' own trees
 * hold) and not one the print adds. Returns the links whose target is not made yet, left as they are: the caller
 * checks them once every part is made. The target of every link kept goes into `linked`, when given.
 */
export function dropDeadLinks(
  part: Root | Element,
  made: ReadonlySet<string>,
  coming: ReadonlySet<string>,
  linked?: Set<string>,
): Element[] {
  const unsettled: Element[] = [];
  const walk = (node: Root | Element) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      settleAddress(child);
      const href = child.properties.href;
      if (child.tagName === 'a' && typeof href === 'string' && href.startsWith('#') && href !== '#') {
        const target = linkTarget(href);
        if (!made.has(target)) {
          if (coming.has(target) || ADDED_ID.test(target)) unsettled.push(child);
          else delete child.properties.href;
        }
        if (typeof child.properties.href === 'string') linked?.add(target);
      }
      walk(child);
    }
  };
  walk(part);
  return unsettled;
}

/** Each link under `tree` with the address it prints with (printedHref), as dropDeadLinks does part by part. */
export function settleAddresses(tree: Root | Element): void {
  for (const child of tree.children) {
    if (child.type !== 'element') continue;
    settleAddress(child);
    settleAddresses(child);
  }
}
