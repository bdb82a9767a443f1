/**
 * The filled-in cover template as the element tree Satori lays out: HTML elements with their classes, ids,
 * `lang` and `dir`, text, and one stylesheet made of the template's <style> elements. Satori matches
 * selectors and applies the cascade itself; an inline `style` attribute becomes a rule of its own that wins
 * as an inline style does. A cover draws only text and boxes in the theme's fonts, so markup that would load
 * anything (an image, a link, `url()` in CSS) is refused: Satori would fetch it.
 */
import type { ElementContent } from 'hast';

export interface CoverNode {
  type: string;
  props: { children?: (CoverNode | string)[] | string; [name: string]: unknown };
}

/** Attributes that name something to load. */
const LOADS = ['src', 'srcSet', 'href', 'xLinkHref', 'poster', 'data'];

export class CoverResourceError extends Error {}

export interface CoverTreeOptions {
  lang: string;
  dir: string;
  /** Rules that come before the template's own. */
  css?: string;
  /** Applied to the whole stylesheet. */
  rewriteCss?: (css: string) => string;
}

/**
 * The cover's content as Satori's element tree under an `html` and a `body` element (so a template's rules
 * for them apply), with the stylesheet first in the body.
 */
export function coverTree(content: ElementContent[], options: CoverTreeOptions): CoverNode {
  const sheets: string[] = [options.css ?? ''];
  let inline = 0;
  const convert = (nodes: ElementContent[]): (CoverNode | string)[] => {
    const out: (CoverNode | string)[] = [];
    for (const node of nodes) {
      if (node.type === 'text') {
        out.push(node.value);
        continue;
      }
      if (node.type !== 'element') continue;
      const text = node.children.map((child) => (child.type === 'text' ? child.value : '')).join('');
      if (node.tagName === 'style') {
        sheets.push(refuseUrls(text));
        continue;
      }
      if (node.tagName === 'script' || node.tagName === 'link') continue;
      const loads = LOADS.find((name) => node.properties[name] !== undefined);
      if (loads || node.tagName === 'img' || node.tagName === 'svg') {
        throw new CoverResourceError(
          `The cover template's <${node.tagName}> would load ${String(node.properties[loads ?? 'src'] ?? 'an image')}; a cover may use only the theme's fonts.`,
        );
      }
      const props: CoverNode['props'] = {};
      const { className, id, lang: ownLang, dir: ownDir, style } = node.properties;
      if (Array.isArray(className) && className.length) props.className = className.join(' ');
      if (id !== undefined) props.id = String(id);
      const locale = ownLang === undefined ? undefined : satoriLocale(String(ownLang));
      if (locale) props.lang = locale;
      if (ownDir !== undefined) props.dir = String(ownDir);
      if (typeof style === 'string' && style.trim()) {
        // A rule of its own, !important so that it beats the stylesheet the way an inline style does.
        const key = String(++inline);
        props['data-cover-style'] = key;
        sheets.push(`[data-cover-style="${key}"] { ${importantDeclarations(refuseUrls(style))} }`);
      }
      props.children = convert(node.children as ElementContent[]);
      out.push({ type: node.tagName, props });
    }
    return out;
  };
  const body = convert(content);
  const css = sheets.join('\n');
  const stylesheet: CoverNode = {
    type: 'style',
    props: { children: options.rewriteCss ? options.rewriteCss(css) : css },
  };
  return {
    type: 'html',
    props: {
      ...(satoriLocale(options.lang) ? { lang: satoriLocale(options.lang) } : {}),
      dir: options.dir,
      children: [{ type: 'body', props: { children: [stylesheet, ...body] } }],
    },
  };
}

/**
 * The language as Satori's locales name it, for the scripts whose line breaking and glyphs depend on it.
 * Other tags are left out: Satori matches them against its own list by prefix (`de` became `devanagari`,
 * which is no locale, and upper-casing threw).
 */
const SATORI_LOCALES: Record<string, string> = {
  ja: 'ja-JP',
  ko: 'ko-KR',
  zh: 'zh-CN',
  'zh-cn': 'zh-CN',
  'zh-hans': 'zh-CN',
  'zh-sg': 'zh-CN',
  'zh-tw': 'zh-TW',
  'zh-hant': 'zh-TW',
  'zh-hk': 'zh-HK',
  th: 'th-TH',
};

function satoriLocale(lang: string): string | undefined {
  const tag = lang.toLowerCase();
  return SATORI_LOCALES[tag] ?? SATORI_LOCALES[tag.split('-')[0]];
}

function refuseUrls(css: string): string {
  const url = /\b(url|image-set|src)\s*\(|@import/i.exec(css);
  if (url) {
    throw new CoverResourceError(
      `The cover template's CSS would load a file (${url[0]}…); a cover may use only the theme's fonts.`,
    );
  }
  return css;
}

function importantDeclarations(style: string): string {
  return style
    .split(';')
    .map((declaration) => declaration.trim())
    .filter(Boolean)
    .map((declaration) => `${declaration.replace(/\s*!important$/i, '')} !important;`)
    .join(' ');
}
