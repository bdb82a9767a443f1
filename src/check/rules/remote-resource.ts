/**
 * Nothing in a book may load from the network: not while building (Imprint never downloads) and not in the
 * reader's hands. The pipeline reports remote images; this finds the other ways raw HTML and a theme's CSS
 * can name a remote file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Element } from 'hast';
import type { Html } from 'mdast';
import { visit } from 'unist-util-visit';
import { locationAt, parseRawHtml } from '../chapter-source.ts';
import type { CheckRule, Finding } from '../rule.ts';

/** A URL with a scheme other than data:, or protocol-relative. */
const REMOTE = /^\s*(?:(?!data:)[a-z][a-z0-9+.-]*:|\/\/)/i;
/** Attributes that load what they name; <a href> only links, and <img src> is the pipeline's to report. */
const LOADING_ATTRIBUTES = ['src', 'srcSet', 'poster', 'data', 'background', 'href', 'xLinkHref'];
const LINKS = new Set(['a', 'area']);
const CSS_REMOTE = /(?:url\(\s*['"]?|@import\s+['"])((?:https?:)?\/\/[^'")\s]*)/gi;

export const remoteResource: CheckRule = {
  code: 'remote-url',
  severity: 'error',
  summary: 'An image, media file, frame, stylesheet or CSS url() that is not a local file.',
  fix: 'Save the file into the manuscript (or theme) folder and refer to it by its path.',
  check({ book, chapters }) {
    const findings: Finding[] = [];
    for (const { file, mdast } of chapters) {
      visit(mdast, 'html', (node: Html) => {
        visit(parseRawHtml(node), 'element', (element: Element) => {
          const remote = LOADING_ATTRIBUTES.flatMap((name) => {
            if (
              (LINKS.has(element.tagName) && name === 'href') ||
              (element.tagName === 'img' && name === 'src')
            )
              return [];
            const value = element.properties[name];
            const urls = Array.isArray(value)
              ? value.map(String)
              : typeof value === 'string'
                ? value.split(',')
                : [];
            return urls.filter((url) => REMOTE.test(url)).map((url) => `"${url.trim().split(/\s/)[0]}"`);
          });
          if (remote.length === 0) return;
          findings.push({
            file,
            line: element.position?.start.line,
            column: element.position?.start.column,
            message: `<${element.tagName}> loads ${remote.join(' and ')} from the network.`,
          });
        });
      });
    }
    for (const cssFile of book.theme.files.filter((name) => name.endsWith('.css'))) {
      const css = readFileSync(cssFile, 'utf8');
      for (const match of css.matchAll(CSS_REMOTE)) {
        findings.push({
          file: path.relative(process.cwd(), cssFile),
          ...locationAt(css, match.index ?? 0),
          message: `The theme's CSS loads "${match[1]}" from the network.`,
        });
      }
    }
    return findings;
  },
};
