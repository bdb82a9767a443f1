/**
 * Interview turns. A top-level paragraph that begins with a declared label or the speaker's full name and a
 * colon ("RD: …", "Andrey Bezrukov: …") starts a turn; what follows belongs to that turn until the next
 * label, a heading or a thematic break. Consecutive turns form one Q&A run. Labels in block quotes, lists or
 * mid-paragraph, and labels not declared in `speakers:`, stay ordinary text.
 */
import type { Paragraph, PhrasingContent, Root, RootContent, Text } from 'mdast';
import type { VFile } from 'vfile';
import type { Speaker } from '../../book/types.ts';
import { type ImprintBlock, imprintBlock, imprintInline } from '../imprint-node.ts';

/** Blocks a speaker can say; figures, asides and related links are the editor's, so they end a turn. */
const SPOKEN = new Set(['paragraph', 'list', 'blockquote', 'code', 'table', 'html']);
const ENDS_RUN = new Set(['heading', 'thematicBreak']);

export default function remarkSpeakers() {
  return (tree: Root, file: VFile) => {
    const speakers = file.data.meta?.speakers ?? [];
    if (speakers.length === 0) return;
    const byWrittenLabel = speakerLookup(speakers);

    const output: RootContent[] = [];
    let run: ImprintBlock | undefined;
    let turn: ImprintBlock | undefined;
    const closeRun = () => {
      if (!run) return;
      // Editorial blocks after the last turn belong after the Q&A run, not in it.
      const trailing: RootContent[] = [];
      while (run.children.length && run.children[run.children.length - 1].type !== 'imprintBlock') {
        trailing.unshift(run.children.pop() as RootContent);
      }
      output.push(...trailing);
      run = undefined;
      turn = undefined;
    };

    for (const node of tree.children) {
      const speaker = node.type === 'paragraph' ? takeLabel(node, byWrittenLabel) : undefined;
      if (speaker) {
        if (!run) {
          run = imprintBlock('qna', {}, [], node.position);
          output.push(run);
        }
        turn = imprintBlock(
          'turn',
          { speaker: speaker.id, role: speaker.role, name: speaker.name },
          [node as Paragraph],
          node.position,
        );
        run.children.push(turn);
      } else if (turn && ((SPOKEN.has(node.type) && !isLoneImage(node)) || isPullQuote(node))) {
        turn.children.push(node as ImprintBlock['children'][number]);
      } else if (run && !ENDS_RUN.has(node.type)) {
        turn = undefined;
        run.children.push(node as ImprintBlock['children'][number]);
      } else {
        closeRun();
        output.push(node);
      }
    }
    closeRun();
    tree.children = output;
  };
}

/** An image alone in its paragraph becomes a figure: the editor's, not the speaker's. */
function isLoneImage(node: RootContent): boolean {
  if (node.type !== 'paragraph') return false;
  const meaningful = node.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''));
  return meaningful.length === 1 && meaningful[0].type === 'image';
}

function isPullQuote(node: RootContent): boolean {
  return node.type === 'containerDirective' && node.name === 'pullquote';
}

function speakerLookup(speakers: Speaker[]): Map<string, Speaker> {
  const map = new Map<string, Speaker>();
  for (const speaker of speakers) {
    map.set(speaker.label, speaker);
    if (!map.has(speaker.name)) map.set(speaker.name, speaker);
  }
  return map;
}

/**
 * When the paragraph opens with "Label:" (plain or in bold), replaces the label with a speaker-label
 * component that keeps the words as written, and returns the speaker.
 */
function takeLabel(paragraph: Paragraph, lookup: Map<string, Speaker>): Speaker | undefined {
  const first = paragraph.children[0];
  if (!first) return undefined;
  if (first.type === 'text') {
    const match = matchLabel(first.value, lookup);
    if (!match) return undefined;
    const rest: Text = { type: 'text', value: first.value.slice(match.length) };
    paragraph.children.splice(0, 1, labelNode(match.written, match.speaker), rest);
    return match.speaker;
  }
  if (first.type === 'strong' && first.children.length === 1 && first.children[0].type === 'text') {
    const inner = first.children[0].value.trim();
    const next = paragraph.children[1];
    const written = inner.endsWith(':') ? inner.slice(0, -1) : inner;
    const speaker = lookup.get(written);
    if (!speaker) return undefined;
    if (!inner.endsWith(':')) {
      if (next?.type !== 'text' || !next.value.startsWith(':')) return undefined;
      next.value = next.value.slice(1);
    }
    paragraph.children.splice(0, 1, labelNode(written, speaker));
    return speaker;
  }
  return undefined;
}

function matchLabel(text: string, lookup: Map<string, Speaker>) {
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  const written = text.slice(0, colon);
  const speaker = lookup.get(written);
  if (!speaker) return undefined;
  const after = text.charAt(colon + 1);
  if (after !== '' && !/\s/.test(after)) return undefined;
  return { speaker, written, length: colon + 1 };
}

function labelNode(written: string, speaker: Speaker): PhrasingContent {
  return imprintInline(
    'speaker',
    { label: written, name: speaker.name, role: speaker.role, speaker: speaker.id },
    [],
  );
}
