/** Calls `f` once `doc` is parsed (`DOMContentLoaded`), at once if it already is. */
export const parsed = (f: () => void, doc = document): void =>
  doc.readyState == 'loading' ? doc.addEventListener('DOMContentLoaded', f) : f();
