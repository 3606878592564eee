/**
 * Hostile pages cannot stall scrape: the HTML scans are linear in the page, so 5 MiB built to
 * make backtracking regexes quadratic (thousands of unclosed comments, tags, scripts, titles)
 * is read in one pass. A quadratic scan would take hours here and end at jest's timeout; the
 * bench, not this test, measures speed.
 */
import { capStoryText, extractMainText, MAX_STORY_WORDS } from '../../../stages/scrape/extract-text';
import { findElements, htmlToText, stripNonContent } from '../../../stages/scrape/html-text';

const FIVE_MIB = 5 * 1024 * 1024;
const repeat = (unit: string) => unit.repeat(Math.ceil(FIVE_MIB / unit.length)).slice(0, FIVE_MIB);

describe('hostile HTML', () => {
  it.each([
    ['unclosed comments', repeat('<!--')],
    ['unclosed declarations', repeat('<!x')],
    ['unclosed processing instructions', repeat('<?x')],
    ['unclosed scripts', repeat('<script>')],
    ['unclosed titles', repeat('<title>')],
    ['deep nesting', repeat('<div><p>')],
  ])(
    'reads 5 MiB of %s in one pass and finds no story',
    (_name, html) => {
      const extracted = extractMainText(html);
      expect(extracted.wordCount).toBeLessThan(80);
    },
    30_000
  );

  it('reads 5 MiB of lone angle brackets in one pass, and a story is cut to its word cap', () => {
    const extracted = extractMainText(repeat('<p '));
    expect(extracted.wordCount).toBeGreaterThan(0);
    expect(capStoryText('word '.repeat(MAX_STORY_WORDS * 2)).wordCount).toBe(MAX_STORY_WORDS);
  }, 30_000);

  it('still reads a normal page the same way', () => {
    const page =
      '<html><head><title>A &amp; B</title><script>var x = "<p>not prose</p>";</script></head><body><!-- c --><article><p>One two three.</p><p>Four <b>five</b>.</p></article></body></html>';
    const extracted = extractMainText(page);
    expect(extracted).toMatchObject({
      title: 'A & B',
      text: 'One two three.\n\nFour five.',
      strategy: 'article',
    });
    expect(stripNonContent('a<!-- x -->b<script>c</script>d<!-- never closed')).toBe('a b d ');
    expect(findElements('<div><div>x</div></div><div>y', 'div').map((r) => [r.start, r.end])).toEqual([
      [0, 23],
      [23, 29],
    ]);
    expect(htmlToText('<p>a</p>b<br>c<span>d</span>')).toBe('a\n\nb\n\ncd');
  });
});
