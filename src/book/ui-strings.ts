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
};

export function uiStrings(lang: string): UiStrings {
  return STRINGS[lang.toLowerCase().split('-')[0]] ?? STRINGS.en;
}
