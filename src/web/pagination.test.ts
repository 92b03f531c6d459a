import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paginationNav } from './pagination.ts';

const href = (page: number) => `/liste?page=${page}`;

test('une seule page : pas de navigation ; sinon précédente, « Page n sur N », suivante selon la place', () => {
  assert.equal(paginationNav(1, 1, href).toString(), '');
  const first = paginationNav(1, 3, href).toString();
  assert.doesNotMatch(first, /rel="prev"/);
  assert.match(first, /<a href="\/liste\?page=2" rel="next">Page suivante<\/a>/);
  assert.match(first, /<span aria-current="page">Page 1 sur 3<\/span>/);
  const middle = paginationNav(2, 3, href).toString();
  assert.match(middle, /href="\/liste\?page=1" rel="prev"/);
  assert.match(middle, /href="\/liste\?page=3" rel="next"/);
  assert.doesNotMatch(paginationNav(3, 3, href).toString(), /rel="next"/);
  assert.match(paginationNav(1, 12_000, href).toString(), /Page 1 sur 12\s000/);
});

test('dans un cadre intégré, les liens restent dans le cadre (target _self) ; les adresses sont échappées', () => {
  assert.match(paginationNav(2, 3, href, '_self').toString(), /<a href="\/liste\?page=1" target="_self" rel="prev">/);
  assert.match(paginationNav(1, 2, (page) => `/l?q="x"&page=${page}`).toString(), /href="\/l\?q=&quot;x&quot;&amp;page=2"/);
});
