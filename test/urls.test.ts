import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locate, mapSrcset } from '../src/lib/urls.js';

const sources = [
  { id: 'origin', url: 'https://www.example.org', weight: 1 },
  { id: 'us', url: 'https://cdn.example.org/site', weight: 1 },
  { id: 'root', url: 'https://cdn.example.org', weight: 1 },
];

test('locate: the longest source prefix, then the page origin', () => {
  assert.deepEqual(locate('https://cdn.example.org/site/images/a.png?v=1', sources, 'https://www.example.org'), { source: sources[1], path: '/images/a.png?v=1' });
  assert.deepEqual(locate('https://cdn.example.org/sitemap.xml', sources, 'https://www.example.org'), { source: sources[2], path: '/sitemap.xml' });
  assert.deepEqual(locate('https://page.example.org/x.png', sources, 'https://page.example.org'), { source: undefined, path: '/x.png' });
  assert.equal(locate('https://elsewhere.example.com/x.png', sources, 'https://page.example.org'), undefined);
});

test('mapSrcset keeps descriptors and handles spacing', () => {
  const up = (u: string) => 'https://e' + u;
  assert.equal(mapSrcset('/a.png 1x, /a@2x.png 2x', up), 'https://e/a.png 1x, https://e/a@2x.png 2x');
  assert.equal(mapSrcset('  /a.png  480w ,/b.png 800w', up), 'https://e/a.png 480w, https://e/b.png 800w');
  assert.equal(mapSrcset('/only.png', up), 'https://e/only.png');
  // As in the HTML parser, a comma right after a URL is part of it unless it ends the URL.
  assert.equal(mapSrcset('/a.png,/b.png 2x', up), 'https://e/a.png,/b.png 2x');
  assert.equal(mapSrcset('/a.png, /b.png 2x', up), 'https://e/a.png, https://e/b.png 2x');
  // Trailing commas end a candidate (no descriptor); empty candidates are dropped.
  assert.equal(mapSrcset('/a.png,, 2x,/b,c.png\t1.5x ,, ', up), 'https://e/a.png, https://e2x,/b,c.png 1.5x');
  assert.equal(mapSrcset(' , ,', up), '');
});

test('mapSrcset: a data: candidate stays as written, the others are mapped', () => {
  const gif = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
  assert.equal(mapSrcset(`${gif} 1x, /a.png 2x`, (u) => 'https://e' + u), `${gif} 1x, https://e/a.png 2x`);
  assert.equal(mapSrcset(`/a.png 1x, DATA:image/png;base64,AA== 2x`, (u) => 'https://e' + u), 'https://e/a.png 1x, DATA:image/png;base64,AA== 2x');
});
