/** A URL as the page writes it, made absolute if it is http(s) (only that is ever set on an element), else ''. */
export declare const http: (url: string) => string;
/** A URL as the page writes it, made absolute; only http(s) is ever set on an element. */
export declare const abs: (url: string) => string;
