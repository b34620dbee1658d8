/** The strictest compiler settings a user may have: what all generated output must pass. */
export const STRICT = {
  target: 'ES2022',
  lib: ['ES2022', 'DOM'],
  // Broker adapters import their client libraries, whose typings need Node's.
  types: ['node'],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  noPropertyAccessFromIndexSignature: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  // Our output has no .d.ts files; the broker libraries' own typings fail exactOptionalPropertyTypes.
  skipLibCheck: true,
  noEmit: true,
};
