/** An answer from the detectors alone: the findings that match the question's words, or all of them. */
import type { Finding } from '../detectors';

const STOP = new Set([
  'why',
  'is',
  'the',
  'a',
  'an',
  'are',
  'what',
  'how',
  'does',
  'do',
  'of',
  'on',
  'in',
  'to',
  'and',
  'or',
  'it',
  'my',
  'keep',
  'keeps',
  'there',
  'any',
]);

export function relevantFindings(question: string, findings: Finding[]): Finding[] {
  const words = question
    .toLowerCase()
    .split(/[^a-z0-9_-]+/)
    .filter((w) => w.length > 2 && !STOP.has(w));
  const scored = findings.map((f) => {
    const text =
      `${f.detector} ${f.subject} ${f.title} ${f.evidence.map((e) => e.source).join(' ')}`.toLowerCase();
    return {
      f,
      hits: words.filter((w) => text.includes(w) || text.includes(w.replace(/s$/, ''))).length,
    };
  });
  const hit = scored
    .filter((x) => x.hits > 0)
    .sort((a, b) => b.hits - a.hits)
    .map((x) => x.f);
  return hit.length ? hit : findings;
}

export function detectorAnswer(
  question: string,
  findings: Finding[],
  why: string,
): { answer: string; citations: string[] } {
  const relevant = relevantFindings(question, findings);
  if (!findings.length)
    return {
      answer: `Detectors only (${why}): no detector reports a problem right now.`,
      citations: [],
    };
  const lines = relevant.map(
    (f, i) =>
      `${i + 1}. [${f.id}] ${f.severity}: ${f.title}. ${f.evidence[0]?.source ?? ''}: ${f.evidence[0]?.detail ?? ''}${f.suggestion ? ` — ${f.suggestion}` : ''}`,
  );
  return {
    answer: `Detectors only (${why}). ${relevant.length === findings.length ? 'Current findings' : 'Findings that match the question'}, most severe first:\n${lines.join('\n')}`,
    citations: relevant.map((f) => f.id),
  };
}
