import type { ReportRow } from '../types.js';

/**
 * A new `report()` row, and the function that (re)sets its element. The row holds its element
 * weakly, and is made here, apart from the chain's closures: a getter made inside them would keep
 * their whole scope alive (V8 shares one context per scope), and with it the element and its
 * detached view in a long-lived app that swaps views.
 */
export function reportRow(path: string): [ReportRow, (el: Element) => void] {
  let ref: WeakRef<Element> | undefined;
  const row: ReportRow = {
    get element() {
      return ref?.deref();
    },
    path,
    source: '',
    url: '',
    state: 'loading',
    tried: [],
  };
  return [row, (el) => (ref = typeof WeakRef == 'function' ? new WeakRef(el) : undefined)];
}
