// Counts a storage's reads during the hot-path benchmarks, in Node (bench/hot-path.mjs) and in the
// Chromium page (bench/browser-page/main.js): no Node imports here.

/** Wraps a storage instance's read methods to count calls; returns the live counter. */
export function countReads(storage) {
  const counter = { reads: 0 };
  for (const method of ["getTokenData", "getTokenDataByResourceServer"]) {
    const original = storage[method].bind(storage);
    storage[method] = (...args) => {
      counter.reads++;
      return original(...args);
    };
  }
  return counter;
}
