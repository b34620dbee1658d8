/**
 * Rewrites Ajv's standalone code of the AsyncAPI document schema so that, within one validation,
 * a `$ref`'d definition that has passed for an object is not checked again for the same object.
 *
 * Why: the parser checks the *resolved* document, where each operation's `channel` and `messages`
 * are the very objects under `channels` and `components` (the resolver shares them), so every
 * channel, message and payload schema was validated once more for each operation that references
 * it: most of the parser's 3.4 s at 1,000 channels.
 *
 * Why the answer cannot change: an Ajv function returns true only with no errors, and its result
 * depends only on the data (Spectral's options neither coerce, remove nor default anything, and
 * no keyword reads `rootData`); the callers read `.errors` only after a failure. Failures are
 * never remembered, so every error is found and reported from its own place as before. The
 * memory of passes lives for one call of the exported function: the document is not changed
 * while it runs, and another document (or the same after a change) starts afresh.
 */

const DEFINITION = /function (validate\d+)\(data, \{instancePath="", parentData, parentDataProperty, rootData=data\}=\{\}\)\{/g;
const EXPORTS = /^"use strict";module\.exports = (validate\d+);module\.exports\.default = \1;/;

const RUNTIME = `
let passed = null;
function remembered(check, data, options) {
  if (passed === null || typeof data !== "object" || data === null) return check(data, options);
  let seen = passed.get(check);
  if (seen !== undefined && seen.has(data)) return true;
  const valid = check(data, options);
  if (valid) {
    if (seen === undefined) passed.set(check, (seen = new WeakSet()));
    seen.add(data);
  }
  return valid;
}
function validateDocument(data, options) {
  passed = new Map();
  try {
    const valid = TOP(data, options);
    validateDocument.errors = TOP.errors;
    return valid;
  } finally {
    passed = null;
  }
}
`;

/** The same module with every definition's function remembering its passes. */
export function memoizeValidators(code) {
  const top = EXPORTS.exec(code);
  if (!top) throw new Error('Ajv standalone code does not start as expected; scripts/memo-validators.mjs needs updating');
  let count = 0;
  const rewritten = code.replace(EXPORTS, '"use strict";module.exports = validateDocument;module.exports.default = validateDocument;').replace(DEFINITION, (whole, name) => {
    count += 1;
    // The body still sets `<name>.errors`, now on the wrapper, which is what every caller reads.
    return `function ${name}(data, options) { return remembered(${name}$, data, options); }\n${whole.replace(name, () => `${name}$`)}`;
  });
  const defined = code.match(/function validate\d+\(/g)?.length ?? 0;
  if (count === 0 || count !== defined) throw new Error(`memoizing ${count} of ${defined} Ajv functions; scripts/memo-validators.mjs needs updating`);
  return rewritten + RUNTIME.replaceAll('TOP', top[1]);
}
