/** Every lint rule of `imprint check`, in the order their findings are listed. */
import { CATALOGUE_CODES } from '../catalogue.ts';
import type { CheckRule } from '../rule.ts';
import { controlCharacter } from './control-character.ts';
import { duplicateTitle } from './duplicate-title.ts';
import { footnoteUndefined, footnoteUnused } from './footnotes.ts';
import { headingSkip } from './heading-skip.ts';
import { isbnCheckDigit } from './isbn-check-digit.ts';
import { linkUnresolved } from './link-unresolved.ts';
import { pullquoteEmpty } from './pullquote-empty.ts';
import { pullquoteMisplaced } from './pullquote-misplaced.ts';
import { pullquoteNotInText } from './pullquote-not-in-text.ts';
import { rawImageAlt } from './raw-image-alt.ts';
import { remoteResource } from './remote-resource.ts';
import { speakerSilent } from './speaker-silent.ts';
import { speakerUndeclared } from './speaker-undeclared.ts';
import { doubleHyphen, straightQuotes } from './typography.ts';
import { unknownCheck } from './unknown-check.ts';

const MANUSCRIPT_RULES: readonly CheckRule[] = [
  speakerUndeclared,
  speakerSilent,
  pullquoteNotInText,
  pullquoteEmpty,
  pullquoteMisplaced,
  straightQuotes,
  doubleHyphen,
  rawImageAlt,
  footnoteUndefined,
  footnoteUnused,
  headingSkip,
  duplicateTitle,
  linkUnresolved,
  remoteResource,
  controlCharacter,
  isbnCheckDigit,
];

export const RULES: readonly CheckRule[] = [
  ...MANUSCRIPT_RULES,
  unknownCheck(() => [...new Set([...CATALOGUE_CODES, ...RULES.map((rule) => rule.code)])]),
];
