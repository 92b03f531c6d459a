import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstInOrder } from './orientation.ts';

test('firstInOrder rend les mêmes éléments, dans le même ordre, qu’un tri stable suivi d’une coupe', () => {
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  for (let round = 0; round < 300; round++) {
    const items = Array.from({ length: Math.floor(random() * 80) }, (_, position) => ({ key: Math.floor(random() * 6), position }));
    const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;
    for (const count of [0, 1, 5, 30, 100]) {
      assert.deepEqual(firstInOrder(items, count, byKey), [...items].sort(byKey).slice(0, count), `tour ${round}, ${count} premiers`);
    }
  }
});
