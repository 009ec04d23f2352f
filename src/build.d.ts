/**
 * Set by scripts/build.mjs: true in the runtime build (`dist/cdn-loader-runtime.js`), which takes over
 * from the inline boot; false in the one-tag builds, which do the boot's work themselves and drop that code.
 */
declare const __RUNTIME__: boolean;
