// Tree hovers are Markdown: an asset key, partition key or path from the project must render as its own text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeMarkdown } from '../../../src/extension/escapeMarkdown';

/** Punctuation that no backslash precedes: where Markdown syntax (links, images, HTML, autolinks) could start. */
const bare = (md: string) => [...md.matchAll(/(?<!\\)(?:\\\\)*[!-/:-@[-`{-~]/g)].map((m) => m[0].slice(-1)).filter((c) => c !== '\\');

test('links, images, command links and autolinks in a key are escaped, and read back as the same text', () => {
  const key = '[x](command:foo) ![i](http://e/x.png)';
  const md = escapeMarkdown(key);
  assert.equal(md, '\\[x\\]\\(command\\:foo\\) \\!\\[i\\]\\(http\\:\\/\\/e\\/x\\.png\\)');
  assert.deepEqual(bare(md), []);
  // CommonMark renders a backslash-escaped punctuation character as the character itself.
  assert.equal(md.replace(/\\([!-/:-@[-`{-~])/g, '$1'), key);
});

test('HTML, entities, emphasis, code and bare URLs stay text', () => {
  for (const text of ['<img src=x onerror=alert(1)>', '&lt;b&gt;', '*a* _b_ `c` ~~d~~', 'www.example.com a@b.co https://e.com', '# heading', '\\[still\\]']) {
    const md = escapeMarkdown(text);
    assert.deepEqual(bare(md), [], `${text} → ${md}`);
    assert.equal(md.replace(/\\([!-/:-@[-`{-~])/g, '$1'), text);
  }
});

test('a line break stays a line break and cannot start a block', () => {
  assert.equal(escapeMarkdown('failed:\n# not a heading\n- not a list'), 'failed\\:  \n\\# not a heading  \n\\- not a list');
});
