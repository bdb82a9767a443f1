/**
 * Parses YAML written by a writer (book.yaml or a chapter's front matter) against a schema, and turns every
 * problem into a diagnostic pointing at the line and column where it stands in the original file.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as v from 'valibot';
import type * as Yaml from 'yaml';
import type { Document, LineCounter, Node as YamlNode } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { didYouMean } from '../diagnostics/did-you-mean.ts';
import { rememberedYaml, rememberYaml } from './yaml-results.ts';

/**
 * The `yaml` package, loaded on first use (a rebuild often reads only remembered texts: yaml-results.ts).
 * scripts/compile.mjs bundles it into one CommonJS file beside the compiled code; without that file (src/ run
 * through tsx or vitest) it is the installed package, which is CommonJS too.
 */
const bundledYaml = path.join(import.meta.dirname, '..', 'vendor', 'yaml.cjs');
let yamlPackage: typeof Yaml | undefined;
function yaml(): typeof Yaml {
  yamlPackage ??= createRequire(import.meta.url)(
    existsSync(bundledYaml) ? bundledYaml : 'yaml',
  ) as typeof Yaml;
  return yamlPackage;
}

export interface YamlSource {
  text: string;
  file: string;
  /** Where the YAML starts in its file (1-based), so front matter positions are file positions. */
  startLine: number;
}

type AnySchema = v.GenericSchema;

export interface ParsedYaml<T> {
  value?: T;
  diagnostics: Diagnostic[];
  /** Where a value stands in the file, for diagnostics found later (a chapter entry that does not exist). */
  locate(path: readonly PropertyKey[]): { file: string; line: number; column: number };
}

export function parseYamlConfig<S extends AnySchema>(
  source: YamlSource,
  schema: S,
): ParsedYaml<v.InferOutput<S>> {
  // The document is parsed when a value is not remembered, or when a place in it is asked for.
  let parsed: { doc: Document.Parsed; lineCounter: LineCounter } | undefined;
  const parse = () => {
    if (!parsed) {
      const { LineCounter, parseDocument } = yaml();
      const lineCounter = new LineCounter();
      const doc = parseDocument(source.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
      parsed = { doc, lineCounter };
    }
    return parsed;
  };
  const at = (offset: number | undefined) => {
    const pos = parse().lineCounter.linePos(offset ?? 0);
    return { file: source.file, line: pos.line + source.startLine - 1, column: pos.col };
  };
  const nodeAt = (path: readonly PropertyKey[]): YamlNode | undefined => {
    const { doc } = parse();
    const node = path.length === 0 ? doc.contents : doc.getIn(path as unknown[], true);
    return (node ?? undefined) as YamlNode | undefined;
  };
  // A place is worked out when it is read (mostly never: only a diagnostic reads it).
  const locate = (path: readonly PropertyKey[]) => {
    let place: { line: number; column: number } | undefined;
    const placed = () => {
      place ??= at(nodeAt(path)?.range?.[0]);
      return place;
    };
    return {
      file: source.file,
      get line() {
        return placed().line;
      },
      get column() {
        return placed().column;
      },
    };
  };

  let data = rememberedYaml(source.text);
  if (data === undefined) {
    const { doc } = parse();
    const syntaxErrors = doc.errors.map(
      (error): Diagnostic => ({
        code: 'yaml-syntax',
        severity: 'error',
        message: `This YAML cannot be read: ${firstSentence(error.message)}.`,
        hint: 'Check the indentation and quote values that contain a colon.',
        ...at(errorOffset(source.text, error.code, error.message, error.pos[0])),
      }),
    );
    if (syntaxErrors.length > 0) return { diagnostics: syntaxErrors.slice(0, 1), locate };
    try {
      // Aliases are expanded into copies: a few lines of anchors can stand for billions of values.
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
    } catch (error) {
      if (!(error instanceof ReferenceError)) throw error;
      return {
        diagnostics: [
          {
            code: 'yaml-aliases',
            severity: 'error',
            message: `This YAML uses its aliases (*name) too often to be expanded safely: ${firstSentence(error.message)}.`,
            hint: 'Write the values out instead of repeating anchors (&name) with aliases (*name).',
            ...at(firstAliasOffset(source.text)),
          },
        ],
        locate,
      };
    }
    rememberYaml(source.text, data);
  }
  const keyAt = (path: readonly PropertyKey[]): number | undefined => {
    const parent = nodeAt(path.slice(0, -1));
    if (!yaml().isMap(parent)) return undefined;
    const pair = parent.items.find(
      (item) => (item.key as { value?: unknown })?.value === path[path.length - 1],
    );
    return (pair?.key as YamlNode | undefined)?.range?.[0];
  };

  const diagnostics: Diagnostic[] = [];
  if (typeof data !== 'object' || Array.isArray(data)) {
    diagnostics.push({
      code: 'yaml-not-a-map',
      severity: 'error',
      message: 'This YAML must be a list of "key: value" lines.',
      ...at(0),
    });
    return { diagnostics, locate };
  }
  for (const { path, suggestion } of unknownKeys(data, schema, [])) {
    const key = String(path[path.length - 1]);
    diagnostics.push({
      code: 'unknown-key',
      severity: 'warning',
      message: `Unknown setting "${path.join('.')}" is ignored.`,
      hint: suggestion ? `Did you mean "${suggestion}"?` : `Remove "${key}" or check its spelling.`,
      ...at(keyAt(path)),
    });
  }
  const result = v.safeParse(schema, data);
  if (!result.success) {
    for (const issue of result.issues) {
      const path = (issue.path ?? []).map((item) => item.key as PropertyKey);
      const where = path.length ? `"${path.join('.')}": ` : '';
      const missing = issue.input === undefined && issue.kind === 'schema';
      diagnostics.push({
        code: 'invalid-setting',
        severity: 'error',
        message: missing ? `"${path.join('.')}" is required.` : `${where}${issue.message}.`,
        ...at(missing ? 0 : nodeAt(path)?.range?.[0]),
      });
    }
    return { diagnostics, locate };
  }
  return { value: result.output, diagnostics, locate };
}

/** More aliases than any real book.yaml or front matter needs; the `yaml` package's own default is 100. */
const MAX_ALIAS_COUNT = 100;

function firstAliasOffset(text: string): number {
  const found = /(^|[\s[{,:-])\*[^\s,\]}]+/m.exec(text);
  return found ? found.index + found[1].length : 0;
}

/**
 * Where a syntax error is best shown. The parser places an unclosed quote at the end of the file (after the
 * last line); the writer needs the line where the quote opens, which is the last quote of its kind before
 * the end that nothing escapes.
 */
function errorOffset(text: string, code: string, message: string, offset: number): number {
  const quote = code === 'MISSING_CHAR' ? /closing (["'])/.exec(message)?.[1] : undefined;
  if (!quote) return atText(text, offset);
  for (let i = Math.min(offset, text.length) - 1; i >= 0; i--) {
    if (text[i] !== quote) continue;
    if (quote === '"' && text[i - 1] === '\\') continue;
    if (quote === "'" && text[i - 1] === "'") {
      i--;
      continue;
    }
    return i;
  }
  return atText(text, offset);
}

/** An offset past the last text moves to the start of the last line, not the empty "line" after it. */
function atText(text: string, offset: number): number {
  const trimmed = text.replace(/\s+$/, '');
  return offset < trimmed.length ? offset : trimmed.lastIndexOf('\n') + 1;
}

function firstSentence(message: string): string {
  return message.split(/\.\s|\n/)[0].replace(/\s+at line \d+, column \d+:?$/, '');
}

/** Walks plain objects alongside object schemas, reporting keys the schema does not know. */
function unknownKeys(
  value: unknown,
  schema: AnySchema,
  path: PropertyKey[],
): { path: PropertyKey[]; suggestion?: string }[] {
  const objectSchema = unwrapObject(schema);
  if (!objectSchema || typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const known = Object.keys(objectSchema.entries);
  const found: { path: PropertyKey[]; suggestion?: string }[] = [];
  for (const [key, child] of Object.entries(value)) {
    const entry = objectSchema.entries[key];
    if (!entry) found.push({ path: [...path, key], suggestion: didYouMean(key, known) });
    else found.push(...unknownKeys(child, entry as AnySchema, [...path, key]));
  }
  return found;
}

function unwrapObject(schema: AnySchema): v.ObjectSchema<v.ObjectEntries, undefined> | undefined {
  let current = schema as AnySchema & { wrapped?: AnySchema; entries?: v.ObjectEntries };
  while (current.wrapped) current = current.wrapped as typeof current;
  return current.type === 'object'
    ? (current as unknown as v.ObjectSchema<v.ObjectEntries, undefined>)
    : undefined;
}
