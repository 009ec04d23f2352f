export declare function startPage(): void;
