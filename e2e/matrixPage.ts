// The fault matrix's page (e2e/matrix.spec.ts, and its slice on nginx over HTTP/2 in e2e/nginxH2.spec.ts):
// every resource kind, four copies each, with the paths each element may request.
import type { Page } from '@playwright/test';

export const KINDS = ['img', 'srcset', 'picture', 'stylesheet', 'script', 'poster'] as const;
export const MODES = ['always', 'round-robin'] as const;
export const SCOPES = ['one', 'all'] as const;
export type Kind = (typeof KINDS)[number];

/** Copies of each kind on a page: round-robin over three edges and the origin sends one copy to each. */
export const COPIES = 4;
export const RETRIES = 1;

export interface Resource {
  id: string;
  kind: Kind;
  /** Every path the element may request (src, srcset, picture sources). */
  paths: string[];
  markup: string;
}

export function resources(): Resource[] {
  const out: Resource[] = [];
  for (const kind of KINDS)
    for (let j = 0; j < COPIES; j++) {
      const id = `${kind}-${j}`;
      const r = (paths: string[], markup: string) => out.push({ id, kind, paths, markup });
      if (kind === 'img') r([`/images/${id}.png`], `<img id="${id}" data-cdn-src="/images/${id}.png" alt="">`);
      if (kind === 'srcset')
        r([`/images/${id}.png`, `/images/${id}@2x.png`], `<img id="${id}" data-cdn-src="/images/${id}.png" data-cdn-srcset="/images/${id}.png 1x, /images/${id}@2x.png 2x" alt="">`);
      if (kind === 'picture')
        r(
          [`/images/${id}.webp`, `/images/${id}.png`],
          `<picture><source data-cdn-srcset="/images/${id}.webp" type="image/webp"><img id="${id}" data-cdn-src="/images/${id}.png" alt=""></picture>`,
        );
      if (kind === 'stylesheet') r([`/css/${id}.css`], `<link id="${id}" rel="stylesheet" data-cdn-href="/css/${id}.css">`);
      if (kind === 'script') r([`/js/${id}.js`], `<script id="${id}" data-cdn-src="/js/${id}.js"></script>`);
      if (kind === 'poster') r([`/images/${id}.png`], `<video id="${id}" data-cdn-poster="/images/${id}.png" preload="none" width="1" height="1"></video>`);
    }
  return out;
}

export const pathOf = (url: string) => {
  try {
    return new URL(url, 'http://x').pathname;
  } catch {
    return url;
  }
};

/** What the page shows of each element: a decoded image, an applied stylesheet, a script run once, a poster. */
export function shown(page: Page, ids: string[]) {
  return page.evaluate(
    (ids) =>
      ids.map((id) => {
        const el = document.getElementById(id);
        if (el instanceof HTMLImageElement) return { id, ok: el.complete && el.naturalWidth > 0, url: el.currentSrc };
        if (el instanceof HTMLLinkElement) return { id, ok: getComputedStyle(document.documentElement).getPropertyValue('--' + id).trim() === '1', url: el.href };
        if (el instanceof HTMLVideoElement) return { id, ok: !!el.poster, url: el.poster };
        const ran = ((window as unknown as { __ran?: string[] }).__ran ?? []).filter((n) => n === id).length;
        return { id, ok: ran === 1, url: Array.from(document.scripts).find((s) => s.src.endsWith(`/js/${id}.js`))?.src ?? '' };
      }),
    ids,
  );
}
