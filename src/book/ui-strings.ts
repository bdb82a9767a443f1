/**
 * The few words Imprint itself puts into a book (headings of the contents and notes, landmark names), in the
 * book's language. Anything not listed falls back to English; a theme can always write its own words.
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
  /** Label of the list of print pages (the EPUB page-list). */
  pages: string;
  publishedBy: string;
}

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
  },
};

export function uiStrings(lang: string): UiStrings {
  return STRINGS[lang.toLowerCase().split('-')[0]] ?? STRINGS.en;
}
