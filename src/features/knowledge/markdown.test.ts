import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderMarkdown } from './markdown.ts';

const render = (source: string) => renderMarkdown(source).toString();

test('le sous-ensemble Markdown : titres, listes, citations, emphase, code et liens', () => {
  assert.equal(
    render('## Définir\nUn **système** *transparent*\nd’échanges `local`.\n\n- un\n- deux\n\n1. premier\n\n> citée\n\n[Fournisseurs](/fournisseurs)'),
    '<h2>Définir</h2><p>Un <strong>système</strong> <em>transparent</em> d’échanges <code>local</code>.</p><ul><li>un</li><li>deux</li></ul><ol><li>premier</li></ol><blockquote><p>citée</p></blockquote><p><a href="/fournisseurs">Fournisseurs</a></p>',
  );
});

test('rien de ce qu’écrit un contributeur ne devient du balisage ni un lien dangereux', () => {
  const out = render('<script>alert(1)</script>\n\n[clic](javascript:alert(1)) [x](data:text/html,1) **<img src=x onerror=alert(1)>**\n\n## <b>titre</b>');
  assert.ok(!/<script|<img|<b>|href="javascript|href="data/.test(out), out);
  assert.match(out, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(out, /\[clic\]\(javascript:alert\(1\)\)/);
  assert.match(out, /<strong>&lt;img src=x onerror=alert\(1\)&gt;<\/strong>/);
  assert.match(render('[x](https://exemple.org/a"onmouseover="b)'), /^<p>\[x\]/);
});
