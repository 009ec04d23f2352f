// The React 19 app of e2e/ssr.spec.ts, rendered on the server with renderToString and hydrated in the
// browser. `CdnImg` is the documented pattern (docs/ssr.md): the loader owns `src` (and, with debug on,
// `alt`/`title`), so the image tells React not to compare its attributes.
import { createElement as h, useEffect } from 'react';

export interface Props {
  /** Use the pattern; false renders the plain <img data-cdn-src> that makes React warn. */
  pattern: boolean;
}

export const IMAGES = ['/images/0.png', '/images/1.png', '/images/2.png'];

/** An image whose URL the loader chooses: `data-cdn-src`, and no hydration check of its attributes. */
export function CdnImg(p: { src: string; alt: string; pattern?: boolean }) {
  return h('img', { 'data-cdn-src': p.src, alt: p.alt, suppressHydrationWarning: p.pattern !== false });
}

export function App({ pattern }: Props) {
  useEffect(() => {
    (window as { __hydrated?: boolean }).__hydrated = true;
  }, []);
  return h(
    'div',
    null,
    h('h1', null, 'Gallery'),
    IMAGES.map((src, i) => h(CdnImg, { key: src, src, alt: `a${i}`, pattern })),
  );
}
