/**
 * The PDF's document metadata, written after Chromium, which sets only the title (from <title>), the language,
 * a creator of its own and the current time. This writes the Info dictionary (Author, Subject, Keywords,
 * Creator "Imprint", Producer, dates from the build date), an XMP packet saying the same, "show the title,
 * not the file name" for viewers, and a file identifier derived from the content, so the same input and
 * SOURCE_DATE_EPOCH give the same bytes.
 */
import { createHash } from 'node:crypto';
import { PDFDict, type PDFDocument, PDFHexString, PDFName } from 'pdf-lib';

export interface PdfMetadata {
  title: string;
  authors: string[];
  subject?: string;
  keywords: string[];
  lang: string;
  /** Creation and modification date. */
  date: Date;
  /** The book's stable identifier (urn:uuid:…, ISBN …): the first half of the file identifier. */
  identifier: string;
  /** E.g. "Imprint 0.1.0". */
  producer: string;
}

/**
 * Writes `meta` into the document.
 * @param renderer the Producer the PDF came with (Chromium's Skia), kept in brackets after Imprint's.
 * @param contentKey text that changes whenever the printed content does (the print document): the second
 *   half of the file identifier.
 */
export function writePdfMetadata(
  doc: PDFDocument,
  meta: PdfMetadata,
  renderer: string | undefined,
  contentKey: string,
): void {
  const producer = renderer ? `${meta.producer} (${renderer})` : meta.producer;
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  if (meta.authors.length) doc.setAuthor(meta.authors.join(', '));
  if (meta.subject) doc.setSubject(meta.subject);
  // pdf-lib's setKeywords joins with spaces; the keywords are phrases.
  if (meta.keywords.length) {
    doc.setKeywords(meta.keywords);
    const info = doc.context.lookup(doc.context.trailerInfo.Info);
    if (info instanceof PDFDict)
      info.set(PDFName.of('Keywords'), PDFHexString.fromText(meta.keywords.join(', ')));
  }
  doc.setCreator('Imprint');
  doc.setProducer(producer);
  doc.setCreationDate(meta.date);
  doc.setModificationDate(meta.date);
  doc.setLanguage(meta.lang);
  const xmp = doc.context.stream(xmpPacket(meta, producer), { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(xmp));
  const digest = (text: string) => PDFHexString.of(createHash('md5').update(text).digest('hex'));
  doc.context.trailerInfo.ID = doc.context.obj([
    digest(meta.identifier),
    digest(`${meta.identifier}\u0000${meta.date.toISOString()}\u0000${contentKey}`),
  ]);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** XMP (ISO 16684-1) with the same facts as the Info dictionary; readers such as Acrobat prefer it. */
function xmpPacket(meta: PdfMetadata, producer: string): string {
  const date = meta.date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const alt = (text: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(text)}</rdf:li></rdf:Alt>`;
  const list = (kind: 'Seq' | 'Bag', items: string[]) =>
    `<rdf:${kind}>${items.map((item) => `<rdf:li>${escapeXml(item)}</rdf:li>`).join('')}</rdf:${kind}>`;
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about=""',
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"',
    ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"',
    ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    ' xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">',
    '<dc:format>application/pdf</dc:format>',
    `<dc:title>${alt(meta.title)}</dc:title>`,
    meta.authors.length ? `<dc:creator>${list('Seq', meta.authors)}</dc:creator>` : '',
    meta.subject ? `<dc:description>${alt(meta.subject)}</dc:description>` : '',
    meta.keywords.length ? `<dc:subject>${list('Bag', meta.keywords)}</dc:subject>` : '',
    `<dc:language>${list('Bag', [meta.lang])}</dc:language>`,
    `<dc:identifier>${escapeXml(meta.identifier)}</dc:identifier>`,
    meta.keywords.length ? `<pdf:Keywords>${escapeXml(meta.keywords.join(', '))}</pdf:Keywords>` : '',
    `<pdf:Producer>${escapeXml(producer)}</pdf:Producer>`,
    '<xmp:CreatorTool>Imprint</xmp:CreatorTool>',
    `<xmp:CreateDate>${date}</xmp:CreateDate>`,
    `<xmp:ModifyDate>${date}</xmp:ModifyDate>`,
    `<xmp:MetadataDate>${date}</xmp:MetadataDate>`,
    `<xmpMM:DocumentID>${escapeXml(meta.identifier)}</xmpMM:DocumentID>`,
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ]
    .filter(Boolean)
    .join('\n');
}
