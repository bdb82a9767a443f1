/**
 * The words Imprint itself puts into a book (headings of the contents and notes, landmark names, bylines,
 * the colophon), in the book's language. Anything not listed falls back to English; theme.yaml and
 * book.yaml can override any of them (`strings:`), and a theme can always write its own words.
 */
export interface UiStrings {
  contents: string;
  notes: string;
  /** Label of a footnote's back-link, followed by the note's number. */
  backToReference: string;
  cover: string;
  titlePage: string;
  copyright: string;
  startOfContent: string;
  publishedBy: string;
  /** A chapter's byline from its `author:` list; `{names}` is the list joined the language's way. */
  byline: string;
  /** The colophon on the copyright page; `{fonts}` is the list of typefaces. */
  colophon: string;
  /** The word before a code listing's number: "Listing 3-1." */
  listing: string;
}

export const UI_STRING_KEYS = [
  'contents',
  'notes',
  'backToReference',
  'cover',
  'titlePage',
  'copyright',
  'startOfContent',
  'publishedBy',
  'byline',
  'colophon',
  'listing',
] as const satisfies readonly (keyof UiStrings)[];

const STRINGS: Record<string, UiStrings> = {
  en: {
    contents: 'Contents',
    notes: 'Notes',
    backToReference: 'Back to reference',
    cover: 'Cover',
    titlePage: 'Title page',
    copyright: 'Copyright',
    startOfContent: 'Start of content',
    publishedBy: 'Published by',
    byline: 'By {names}',
    colophon: 'Set in {fonts}. Made with Imprint.',
    listing: 'Listing',
  },
  de: {
    contents: 'Inhalt',
    notes: 'Anmerkungen',
    backToReference: 'Zurück zum Verweis',
    cover: 'Umschlag',
    titlePage: 'Titelseite',
    copyright: 'Impressum',
    startOfContent: 'Beginn des Inhalts',
    publishedBy: 'Erschienen bei',
    byline: 'Von {names}',
    colophon: 'Gesetzt aus der {fonts}. Hergestellt mit Imprint.',
    listing: 'Listing',
  },
  fr: {
    contents: 'Table des matières',
    notes: 'Notes',
    backToReference: 'Retour à l’appel de note',
    cover: 'Couverture',
    titlePage: 'Page de titre',
    copyright: 'Mentions légales',
    startOfContent: 'Début du contenu',
    publishedBy: 'Publié par',
    byline: 'Par {names}',
    colophon: 'Composé en {fonts}. Réalisé avec Imprint.',
    listing: 'Code',
  },
  es: {
    contents: 'Índice',
    notes: 'Notas',
    backToReference: 'Volver a la referencia',
    cover: 'Cubierta',
    titlePage: 'Portada',
    copyright: 'Créditos',
    startOfContent: 'Inicio del contenido',
    publishedBy: 'Publicado por',
    byline: 'Por {names}',
    colophon: 'Compuesto en {fonts}. Hecho con Imprint.',
    listing: 'Listado',
  },
  it: {
    contents: 'Indice',
    notes: 'Note',
    backToReference: 'Torna al richiamo',
    cover: 'Copertina',
    titlePage: 'Frontespizio',
    copyright: 'Colophon',
    startOfContent: 'Inizio del contenuto',
    publishedBy: 'Pubblicato da',
    byline: 'Di {names}',
    colophon: 'Composto in {fonts}. Realizzato con Imprint.',
    listing: 'Listato',
  },
  ru: {
    contents: 'Содержание',
    notes: 'Примечания',
    backToReference: 'Назад к ссылке',
    cover: 'Обложка',
    titlePage: 'Титульная страница',
    copyright: 'Выходные данные',
    startOfContent: 'Начало текста',
    publishedBy: 'Издатель:',
    byline: 'Автор: {names}',
    colophon: 'Набрано шрифтами {fonts}. Сделано в Imprint.',
    listing: 'Листинг',
  },
  pl: {
    contents: 'Spis treści',
    notes: 'Przypisy',
    backToReference: 'Powrót do odsyłacza',
    cover: 'Okładka',
    titlePage: 'Strona tytułowa',
    copyright: 'Strona redakcyjna',
    startOfContent: 'Początek treści',
    publishedBy: 'Wydawca:',
    byline: 'Autor: {names}',
    colophon: 'Złożono krojami {fonts}. Wykonano w Imprint.',
    listing: 'Listing',
  },
  sv: {
    contents: 'Innehåll',
    notes: 'Noter',
    backToReference: 'Tillbaka till hänvisningen',
    cover: 'Omslag',
    titlePage: 'Titelsida',
    copyright: 'Upphovsrätt',
    startOfContent: 'Början av innehållet',
    publishedBy: 'Utgiven av',
    byline: 'Av {names}',
    colophon: 'Satt med {fonts}. Gjord med Imprint.',
    listing: 'Kodexempel',
  },
  ja: {
    contents: '目次',
    notes: '注',
    backToReference: '本文へ戻る',
    cover: '表紙',
    titlePage: '扉',
    copyright: '奥付',
    startOfContent: '本文の始まり',
    publishedBy: '発行：',
    byline: '{names} 著',
    colophon: '本文書体：{fonts}。Imprint で制作。',
    listing: 'リスト',
  },
};

/** theme.yaml's or book.yaml's `strings:` — per language (`de: { contents: … }`) or one word for all. */
export type StringOverrides = Record<string, string | Record<string, string>>;

/**
 * The words for a language: the built-in table (or English), then the theme's overrides, then the book's.
 * Each override may name a language (`de`, `de-AT`) or be a plain key for every language.
 */
export function uiStrings(lang: string, ...overrides: (StringOverrides | undefined)[]): UiStrings {
  const tag = lang.toLowerCase();
  const base = tag.split('-')[0];
  const strings: UiStrings = { ...(STRINGS[base] ?? STRINGS.en) };
  for (const override of overrides) {
    if (!override) continue;
    const layers = [
      Object.fromEntries(Object.entries(override).filter(([, value]) => typeof value === 'string')),
      override[base],
      override[tag],
    ];
    for (const layer of layers) {
      if (!layer || typeof layer === 'string') continue;
      for (const key of UI_STRING_KEYS) {
        const value = (layer as Record<string, string>)[key];
        if (typeof value === 'string') strings[key] = value;
      }
    }
  }
  return strings;
}

/** "Ann, Bob and Cy" in the book's language (CLDR list patterns through Intl.ListFormat). */
export function joinNames(names: readonly string[], lang: string): string {
  try {
    return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(names);
  } catch {
    return new Intl.ListFormat('en', { style: 'long', type: 'conjunction' }).format(names);
  }
}

/** Fills `{field}` placeholders of a string. */
export function fillString(template: string, fields: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => fields[name] ?? whole);
}
