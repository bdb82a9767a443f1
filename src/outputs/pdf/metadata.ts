/**
 * The PDF's document metadata, written after Chromium, which sets only the title (from <title>), the language,
 * a creator of its own and the current time. This writes the Info dictionary (Author, Subject, Keywords,
 * Creator "Imprint", Producer, dates from the build date), an XMP packet saying the same, "show the title,
 * not the file name" for viewers, and a file identifier derived from the content, so the same input and
 * SOURCE_DATE_EPOCH give the same bytes.
 */
import { createHash } from 'node:crypto';
import {
  type PdfDict,
  type PdfFile,
  PdfName,
  PdfRef,
  PdfString,
  type PdfValue,
  rewritePdf,
  textString,
} from './pdf-file.ts';

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
 * The PDF with `meta` written in.
 * @param contentKey text that changes whenever the printed content does (the print document): the second
 *   half of the file identifier.
 */
export function withPdfMetadata(file: PdfFile, meta: PdfMetadata, contentKey: string): Uint8Array {
  const oldInfo = file.trailer.get('Info');
  const renderer = oldInfo instanceof PdfRef ? file.dict(oldInfo).get('Producer') : undefined;
  const producer = renderer instanceof PdfString ? `${meta.producer} (${renderer.text()})` : meta.producer;
  const date = pdfDate(meta.date);

  const info: PdfDict = new Map();
  info.set('Title', textString(meta.title));
  if (meta.authors.length) info.set('Author', textString(meta.authors.join(', ')));
  if (meta.subject) info.set('Subject', textString(meta.subject));
  if (meta.keywords.length) info.set('Keywords', textString(meta.keywords.join(', ')));
  info.set('Creator', textString('Imprint'));
  info.set('Producer', textString(producer));
  info.set('CreationDate', new PdfString(date));
  info.set('ModDate', new PdfString(date));

  const root = file.trailer.get('Root');
  if (!(root instanceof PdfRef)) throw new Error('The PDF has no catalog.');
  const catalog = new Map(file.catalog());
  const preferences = file.resolve(catalog.get('ViewerPreferences'));
  const viewer: PdfDict = new Map(preferences instanceof Map ? preferences : []);
  viewer.set('DisplayDocTitle', true);
  catalog.set('ViewerPreferences', viewer);
  catalog.set('Lang', textString(meta.lang));
  const infoNum = oldInfo instanceof PdfRef ? oldInfo.num : file.size;
  const xmpNum = oldInfo instanceof PdfRef ? file.size : file.size + 1;
  catalog.set('Metadata', new PdfRef(xmpNum, 0));

  const digest = (text: string) => new PdfString(createHash('md5').update(text).digest().toString('latin1'));
  return rewritePdf(
    file,
    [
      { num: infoNum, value: info },
      { num: root.num, value: catalog },
      {
        num: xmpNum,
        value: {
          dict: new Map<string, PdfValue>([
            ['Type', new PdfName('Metadata')],
            ['Subtype', new PdfName('XML')],
          ]),
          stream: new TextEncoder().encode(xmpPacket(meta, producer)),
        },
      },
    ],
    new Map<string, PdfValue>([
      ['Info', new PdfRef(infoNum, 0)],
      [
        'ID',
        [
          digest(meta.identifier),
          digest(`${meta.identifier}\u0000${meta.date.toISOString()}\u0000${contentKey}`),
        ],
      ],
    ]),
  );
}

/** "D:20240501120000Z" */
function pdfDate(date: Date): string {
  return `D:${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
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
