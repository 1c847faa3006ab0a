// The documentation holds together: every relative link in the README, docs/ and the other Markdown
// pages resolves to a file (and, with a #fragment, to a heading there, by GitHub's anchor rules), every
// page of docs/ is in its index, and the README stays a front page of at most 300 lines. Links are
// what moves when the code and the docs are reorganised; a broken one is found here, not by a reader.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/project.js';

const README_MAX_LINES = 300;

/** The Markdown pages whose links are checked: the README, docs/, and the pages beside the code. */
function markdownFiles(): string[] {
  const docs = join(ROOT, 'docs');
  const inDocs = existsSync(docs)
    ? readdirSync(docs, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.md'))
        .map((f) => join(docs, f))
    : [];
  const others = ['README.md', 'BENCHMARKS.md', 'reports/README.md', 'examples/ci/README.md']
    .map((f) => join(ROOT, f))
    .filter(existsSync);
  return [...others, ...inDocs];
}

/** The text without fenced code blocks and inline code, where brackets are not links. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Inline links `[text](target)` and reference definitions `[id]: target`, as written. */
function linkTargets(markdown: string): string[] {
  const text = prose(markdown);
  const inline = [...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const defined = [...text.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]!);
  return [...inline, ...defined];
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/`/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_]{1,2}([^*_]+)[*_]{1,2}/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a Markdown page offers: its headings' slugs, numbered on repeats as GitHub does. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const withoutCode = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const m of withoutCode.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of markdown.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(m[1]!);
  return anchors;
}

/** Why a link from `file` is broken, or undefined when it resolves. */
function brokenLink(file: string, target: string, read = (f: string) => readFileSync(f, 'utf8')) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto: — not ours to check
  const hash = target.indexOf('#');
  const path = decodeURI(hash < 0 ? target : target.slice(0, hash));
  const fragment = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const resolved = path === '' ? file : resolve(dirname(file), path);
  if (relative(ROOT, resolved).startsWith('..')) return `${target}: points outside the repository`;
  if (!existsSync(resolved)) return `${target}: no such file`;
  if (fragment === undefined || fragment === '') return undefined;
  if (statSync(resolved).isDirectory() || !resolved.endsWith('.md'))
    return `${target}: a #fragment on something that is not a Markdown page`;
  if (!anchorsOf(read(resolved)).has(fragment)) return `${target}: no heading #${fragment} there`;
  return undefined;
}

describe('documentation links', () => {
  it('reads GitHub anchors as GitHub writes them', () => {
    expect(slug('Engines: embedded, k6 and the k6-operator')).toBe('engines-embedded-k6-and-the-k6-operator');
    expect(slug('`--json`')).toBe('--json');
    expect(slug('7. Reading report.html')).toBe('7-reading-reporthtml');
    expect(slug('Comparing environments: A/B blocks')).toBe('comparing-environments-ab-blocks');
    expect([...anchorsOf('# A\n```\n# not a heading\n```\n## A\n')]).toEqual(['a', 'a-1']);
  });

  it('finds a broken link, a missing heading and a link out of the repository', () => {
    const page = join(ROOT, 'docs', 'README.md');
    const read = () => '# Only heading\n';
    expect(brokenLink(page, 'no-such-page.md', read)).toMatch(/no such file/);
    expect(brokenLink(page, '../README.md#nowhere', read)).toMatch(/no heading #nowhere/);
    expect(brokenLink(page, '../README.md#only-heading', read)).toBeUndefined();
    expect(brokenLink(page, '../../elsewhere.md', read)).toMatch(/outside the repository/);
    expect(brokenLink(page, 'https://example.com/x.md#y', read)).toBeUndefined();
    expect(linkTargets('[a](x.md) `[b](y.md)`\n```\n[c](z.md)\n```\n[d]: w.md#h\n')).toEqual([
      'x.md',
      'w.md#h',
    ]);
  });

  it('resolves every relative link in the README, docs/ and the other pages', () => {
    const broken = markdownFiles().flatMap((file) =>
      linkTargets(readFileSync(file, 'utf8'))
        .map((target) => brokenLink(file, target))
        .filter((problem): problem is string => problem !== undefined)
        .map((problem) => `${relative(ROOT, file)}: ${problem}`),
    );
    expect(broken).toEqual([]);
  });

  it('lists every page of docs/ in its index', () => {
    const index = readFileSync(join(ROOT, 'docs', 'README.md'), 'utf8');
    const linked = new Set(linkTargets(index).map((t) => t.split('#')[0]));
    const pages = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(pages.filter((p) => !linked.has(p))).toEqual([]);
  });

  it(`keeps the README a front page of at most ${README_MAX_LINES} lines`, () => {
    const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n').length;
    expect(lines).toBeLessThanOrEqual(README_MAX_LINES);
  });
});
