// The Vue 3 app of e2e/ssr.spec.ts, rendered with @vue/server-renderer and hydrated in the browser. The
// documented pattern (docs/ssr.md): `data-allow-mismatch="attribute"` on images the loader serves.
import { defineComponent, h, onMounted } from 'vue';

export const IMAGES = ['/images/0.png', '/images/1.png', '/images/2.png'];

/** An image whose URL the loader chooses; Vue does not compare the attributes the loader sets. */
export const CdnImg = defineComponent({
  props: { src: { type: String, required: true }, alt: { type: String, default: '' }, pattern: { type: Boolean, default: true } },
  setup: (p) => () => h('img', { 'data-cdn-src': p.src, alt: p.alt, ...(p.pattern ? { 'data-allow-mismatch': 'attribute' } : {}) }),
});

export const App = defineComponent({
  props: { pattern: { type: Boolean, required: true } },
  setup(p) {
    onMounted(() => {
      (window as { __hydrated?: boolean }).__hydrated = true;
    });
    return () => h('div', [h('h1', 'Gallery'), ...IMAGES.map((src, i) => h(CdnImg, { key: src, src, alt: `a${i}`, pattern: p.pattern }))]);
  },
});
