import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatNumber, html, trustedHtml } from './html.ts';

test('les valeurs interpolées sont échappées', () => {
  const name = '<script>alert("x")</script> & \'co\'';
  assert.equal(
    html`<p title="${name}">${name}</p>`.toString(),
    '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</p>',
  );
});

test('les fragments déjà sûrs, listes et valeurs vides se composent', () => {
  const items = ['a<b', 'c'].map((x) => html`<li>${x}</li>`);
  assert.equal(html`<ul>${items}</ul>${null}${undefined}${false}`.toString(), '<ul><li>a&lt;b</li><li>c</li></ul>');
  assert.equal(html`${trustedHtml('<svg></svg>')}`.toString(), '<svg></svg>');
  assert.equal(html`${0}`.toString(), '0');
});

test('les nombres sont écrits à la française', () => {
  assert.equal(formatNumber(12345).replace(/\s/g, ' '), '12 345');
});
