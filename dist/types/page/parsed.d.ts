/** Calls `f` once `doc` is parsed (`DOMContentLoaded`), at once if it already is. */
export declare const parsed: (f: () => void, doc?: Document) => void;
