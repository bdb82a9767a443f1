import { sampleBook } from '../test/support/epub-sample-book.ts';
console.log(sampleBook(2, { paragraphs: 1 }));
