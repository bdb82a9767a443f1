/**
 * The words Imprint itself puts into a book (headings of the contents and notes, landmark names, bylines,
 * the colophon), in the book's language. Anything not listed falls back to English; theme.yaml and
 * book.yaml can override any of them (`strings:`), and a theme can always write its own words.
 */
import { formatList } from './locale-text.ts';

export interface UiStrings {
  contents: string;
  notes: string;
  /** Label of a footnote's back-link, followed by the note's number. */
  backToReference: string;
  cover: string;
  titlePage: string;
  copyright: string;
  startOfContent: string;
  /** Label of the list of print pages (the EPUB page-list). */
  pages: string;
  publishedBy: string;
  /** A chapter's byline from its `author:` list; `{names}` is the list joined the language's way. */
  byline: string;
  /** The word before a code listing's number: "Listing 3-1." */
  listing: string;
  /** The name of the EPUB's landmarks list. */
  landmarks: string;
  /** Colophon: "Set in" before the typefaces, and the closing line. */
  setIn: string;
  madeWith: string;
  /** The HTML edition's web book: search field, its empty result, chapter links, the skip link. */
  search: string;
  noResults: string;
  previous: string;
  next: string;
  chapters: string;
  skipToContent: string;
  /** Shown before the print page number the reader is at ("p. 12"). */
  printPage: string;
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
  'listing',
  'landmarks',
  'setIn',
  'madeWith',
  'search',
  'noResults',
  'previous',
  'next',
  'chapters',
  'skipToContent',
  'printPage',
  'pages',
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
    pages: 'Pages',
    publishedBy: 'Published by',
    byline: 'By {names}',
    listing: 'Listing',
    landmarks: 'Landmarks',
    setIn: 'Set in',
    madeWith: 'Made with Imprint.',
    search: 'Search',
    noResults: 'No results',
    previous: 'Previous',
    next: 'Next',
    chapters: 'Chapters',
    skipToContent: 'Skip to content',
    printPage: 'p.',
  },
  de: {
    contents: 'Inhalt',
    notes: 'Anmerkungen',
    backToReference: 'Zurück zum Verweis',
    cover: 'Umschlag',
    titlePage: 'Titelseite',
    copyright: 'Impressum',
    startOfContent: 'Beginn des Inhalts',
    pages: 'Seiten',
    publishedBy: 'Erschienen bei',
    byline: 'Von {names}',
    listing: 'Listing',
    landmarks: 'Orientierungspunkte',
    setIn: 'Gesetzt aus der',
    madeWith: 'Erstellt mit Imprint.',
    search: 'Suchen',
    noResults: 'Keine Treffer',
    previous: 'Zurück',
    next: 'Weiter',
    chapters: 'Kapitel',
    skipToContent: 'Zum Inhalt springen',
    printPage: 'S.',
  },
  fr: {
    contents: 'Table des matières',
    notes: 'Notes',
    backToReference: 'Retour à l’appel de note',
    cover: 'Couverture',
    titlePage: 'Page de titre',
    copyright: 'Mentions légales',
    startOfContent: 'Début du contenu',
    pages: 'Pages',
    publishedBy: 'Publié par',
    byline: 'Par {names}',
    listing: 'Code',
    landmarks: 'Repères',
    setIn: 'Composé en',
    madeWith: 'Réalisé avec Imprint.',
    search: 'Rechercher',
    noResults: 'Aucun résultat',
    previous: 'Précédent',
    next: 'Suivant',
    chapters: 'Chapitres',
    skipToContent: 'Aller au contenu',
    printPage: 'p.',
  },
  es: {
    contents: 'Índice',
    notes: 'Notas',
    backToReference: 'Volver a la referencia',
    cover: 'Cubierta',
    titlePage: 'Portada',
    copyright: 'Créditos',
    startOfContent: 'Inicio del contenido',
    pages: 'Páginas',
    publishedBy: 'Publicado por',
    byline: 'Por {names}',
    listing: 'Listado',
    landmarks: 'Puntos de referencia',
    setIn: 'Compuesto en',
    madeWith: 'Hecho con Imprint.',
    search: 'Buscar',
    noResults: 'Sin resultados',
    previous: 'Anterior',
    next: 'Siguiente',
    chapters: 'Capítulos',
    skipToContent: 'Saltar al contenido',
    printPage: 'p.',
  },
  it: {
    contents: 'Indice',
    notes: 'Note',
    backToReference: 'Torna al richiamo',
    cover: 'Copertina',
    titlePage: 'Frontespizio',
    copyright: 'Colophon',
    startOfContent: 'Inizio del contenuto',
    pages: 'Pagine',
    publishedBy: 'Pubblicato da',
    byline: 'Di {names}',
    listing: 'Listato',
    landmarks: 'Punti di riferimento',
    setIn: 'Composto in',
    madeWith: 'Realizzato con Imprint.',
    search: 'Cerca',
    noResults: 'Nessun risultato',
    previous: 'Precedente',
    next: 'Successivo',
    chapters: 'Capitoli',
    skipToContent: 'Vai al contenuto',
    printPage: 'p.',
  },
  ru: {
    contents: 'Содержание',
    notes: 'Примечания',
    backToReference: 'Назад к ссылке',
    cover: 'Обложка',
    titlePage: 'Титульная страница',
    copyright: 'Выходные данные',
    startOfContent: 'Начало текста',
    pages: 'Страницы',
    publishedBy: 'Издатель:',
    byline: 'Автор: {names}',
    listing: 'Листинг',
    landmarks: 'Ориентиры',
    setIn: 'Набрано шрифтами',
    madeWith: 'Сделано в Imprint.',
    search: 'Поиск',
    noResults: 'Ничего не найдено',
    previous: 'Назад',
    next: 'Далее',
    chapters: 'Главы',
    skipToContent: 'Перейти к тексту',
    printPage: 'с.',
  },
  pl: {
    contents: 'Spis treści',
    pages: 'Strony',
    notes: 'Przypisy',
    backToReference: 'Powrót do odsyłacza',
    cover: 'Okładka',
    titlePage: 'Strona tytułowa',
    copyright: 'Strona redakcyjna',
    startOfContent: 'Początek treści',
    publishedBy: 'Wydawca:',
    byline: 'Autor: {names}',
    listing: 'Listing',
    landmarks: 'Punkty orientacyjne',
    setIn: 'Złożono krojami',
    madeWith: 'Wykonano w Imprint.',
    search: 'Szukaj',
    noResults: 'Brak wyników',
    previous: 'Poprzedni',
    next: 'Następny',
    chapters: 'Rozdziały',
    skipToContent: 'Przejdź do treści',
    printPage: 's.',
  },
  sv: {
    contents: 'Innehåll',
    pages: 'Sidor',
    notes: 'Noter',
    backToReference: 'Tillbaka till hänvisningen',
    cover: 'Omslag',
    titlePage: 'Titelsida',
    copyright: 'Upphovsrätt',
    startOfContent: 'Början av innehållet',
    publishedBy: 'Utgiven av',
    byline: 'Av {names}',
    listing: 'Kodexempel',
    landmarks: 'Landmärken',
    setIn: 'Satt med',
    madeWith: 'Gjord med Imprint.',
    search: 'Sök',
    noResults: 'Inga träffar',
    previous: 'Föregående',
    next: 'Nästa',
    chapters: 'Kapitel',
    skipToContent: 'Hoppa till innehållet',
    printPage: 's.',
  },
  ja: {
    contents: '目次',
    pages: 'ページ',
    notes: '注',
    backToReference: '本文へ戻る',
    cover: '表紙',
    titlePage: '扉',
    copyright: '奥付',
    startOfContent: '本文の始まり',
    publishedBy: '発行：',
    byline: '{names} 著',
    listing: 'リスト',
    landmarks: 'ランドマーク',
    setIn: '本文書体：',
    madeWith: 'Imprint で制作。',
    search: '検索',
    noResults: '該当なし',
    previous: '前へ',
    next: '次へ',
    chapters: '章',
    skipToContent: '本文へ移動',
    printPage: 'p.',
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
  return formatList(names, lang);
}

/** Fills `{field}` placeholders of a string. */
export function fillString(template: string, fields: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => fields[name] ?? whole);
}
