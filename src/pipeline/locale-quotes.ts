/**
 * Quotation marks by language, from the Unicode CLDR (the `cldr-misc-full` package's delimiters): German
 * „…“ and ‚…‘, French « … », Russian «…» with „…“ inside, Japanese 「…」 and 『…』 … A tag CLDR does not
 * know falls back to its language, then to English.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface QuoteMarks {
  /** Outer quotes: [opening, closing]. */
  primary: [string, string];
  /** Quotes inside quotes. */
  alternate: [string, string];
}

const require = createRequire(import.meta.url);
const cache = new Map<string, QuoteMarks>();

interface Delimiters {
  quotationStart: string;
  quotationEnd: string;
  alternateQuotationStart: string;
  alternateQuotationEnd: string;
}

function cldrDelimiters(locale: string): Delimiters | undefined {
  if (!/^[A-Za-z0-9-]+$/.test(locale)) return undefined;
  try {
    const file = require.resolve(`cldr-misc-full/main/${locale}/delimiters.json`);
    const json = JSON.parse(readFileSync(file, 'utf8')) as {
      main: Record<string, { delimiters: Delimiters }>;
    };
    return Object.values(json.main)[0]?.delimiters;
  } catch {
    return undefined;
  }
}

export function quoteMarks(lang: string): QuoteMarks {
  let marks = cache.get(lang);
  if (!marks) {
    const [language, ...rest] = lang.split('-');
    const region = rest.find((part) => /^[A-Za-z]{2}$|^\d{3}$/.test(part));
    const script = rest.find((part) => /^[A-Za-z]{4}$/.test(part));
    const candidates = [
      [
        language.toLowerCase(),
        script && `${script[0].toUpperCase()}${script.slice(1).toLowerCase()}`,
        region?.toUpperCase(),
      ],
      [language.toLowerCase(), region?.toUpperCase()],
      [language.toLowerCase()],
      ['en'],
    ].map((parts) => parts.filter(Boolean).join('-'));
    const found = candidates.map(cldrDelimiters).find(Boolean) as Delimiters;
    marks = {
      primary: [found.quotationStart, found.quotationEnd],
      alternate: [found.alternateQuotationStart, found.alternateQuotationEnd],
    };
    cache.set(lang, marks);
  }
  return marks;
}
