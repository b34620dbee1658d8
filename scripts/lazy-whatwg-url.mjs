/**
 * An esbuild plugin for the bundle: node-fetch 2 (loaded on every start by Spectral's runtime and
 * the `$ref` readers, used only for a `$ref` to a URL) imports whatwg-url, whose tr46 builds its
 * Unicode tables from a 260 KB array when it loads, and reads `whatwgUrl.URL` only where Node has
 * no global `URL` (`Url.URL || whatwgUrl.URL`). For node-fetch, whatwg-url becomes a stand-in that
 * loads the real module the first time any of its properties is read.
 */
import path from 'node:path';

const IMPORTER = /[\\/]node-fetch[\\/]lib[\\/]index\.mjs$/;

export const lazyWhatwgUrl = {
  name: 'lazy-whatwg-url',
  setup(build) {
    build.onResolve({ filter: /^whatwg-url$/ }, async (args) => {
      if (!IMPORTER.test(args.importer) || args.pluginData === 'real') return undefined;
      const real = await build.resolve(args.path, { kind: 'require-call', importer: args.importer, resolveDir: args.resolveDir, pluginData: 'real' });
      if (real.errors.length > 0) return undefined;
      return { path: real.path, namespace: 'lazy-whatwg-url' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-whatwg-url' }, (args) => ({
      contents: `let real;
module.exports = new Proxy({}, {
  get(_, key) {
    // Asked by the bundle's module interop; answering loads nothing.
    if (key === '__esModule') return undefined;
    real ??= require(${JSON.stringify(args.path)});
    return real[key];
  },
});
`,
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};
