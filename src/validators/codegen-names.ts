/**
 * Ajv's code optimiser without its quadratic garbage. Before rendering each validator, Ajv's
 * CodeGen counts the names its code tree uses (`root.names`), and every block node answers with a
 * fresh object holding all the names below it: a node's names are copied once per block that
 * encloses it. Stopping at the first error, Ajv nests each property's check inside the previous
 * one's `if(valid…)`, so the copies grow with the square of the properties; at 1,000 channels they
 * were about 250 MB of garbage (most of it surviving into V8's old generation), which is what sets
 * the peak memory of a generation (bench/README.md, issue 13).
 *
 * Here a block node adds its children's names into the object of the block that asked for them,
 * and the getters of If, For and Try (which add their condition, loop and catch names to what the
 * block node answered) are kept. The counts are the same, so the optimiser keeps and drops the
 * same code: the same output bytes. On load, both getters count the names of a tree holding
 * every kind of node; if they ever disagree (another Ajv), Ajv's own getter stays.
 */
import type { CodeGen as CodeGenType, Name as NameType, _ as CodeTag } from 'ajv';

type Names = Record<string, number>;
interface BlockNode {
  readonly nodes: ReadonlyArray<{ readonly names: Names }>;
  readonly names: Names;
}
interface Codegen {
  readonly CodeGen: typeof CodeGenType;
  readonly Name: typeof NameType;
  readonly _: typeof CodeTag;
}

let installed = false;

/** Puts the counting getter on Ajv's block nodes once per process; false when Ajv's own is kept. */
export function compactNames({ CodeGen, Name, _ }: Codegen): boolean {
  if (installed) return true;
  const root = (new CodeGen({} as never) as unknown as { readonly _root: object })._root;
  const block = Object.getPrototypeOf(Object.getPrototypeOf(root)) as BlockNode;
  const original = Object.getOwnPropertyDescriptor(block, 'names');
  if (typeof original?.get !== 'function' || !Array.isArray((root as BlockNode).nodes)) return false;
  // Ajv's answer first, before its block nodes change.
  const sample = sampleTree(CodeGen, Name, _);
  let expected: Names;
  try {
    expected = { ...(sample.names as Names) };
  } catch {
    return false;
  }
  const Block = block.constructor as abstract new () => unknown;
  let into: Names | undefined;
  const add = (names: Names, from: Names): void => {
    for (const n in from) names[n] = (names[n] || 0) + (from[n] || 0);
  };
  Object.defineProperty(block, 'names', {
    configurable: true,
    get(this: BlockNode): Names {
      const names = into ?? {};
      into = undefined;
      for (const node of this.nodes) {
        if (!(node instanceof Block)) {
          add(names, node.names);
          continue;
        }
        into = names;
        const answered = node.names;
        if (into === names) {
          // The node's getter did not ask its block node: it answered on its own.
          into = undefined;
          add(names, answered);
        } else if (answered !== names) throw new Error('internal: an Ajv code node answered its names in an unknown way');
      }
      return names;
    },
  });
  let same = false;
  try {
    same = equalCounts(sample.names, expected);
  } catch {
    same = false;
  }
  if (!same) Object.defineProperty(block, 'names', original);
  installed = same;
  return same;
}

/** A code tree with every kind of node Ajv's validators use, blocks inside blocks. */
function sampleTree(CodeGen: typeof CodeGenType, Name: typeof NameType, _: typeof CodeTag): BlockNode {
  const gen = new CodeGen({} as never);
  const [a, b, c, d, e, f] = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => new Name(n)) as [NameType, NameType, NameType, NameType, NameType, NameType];
  gen.func(f, _`${a}`, false, () => {
    gen.const(b, _`${a}.x`);
    gen.let(c, true);
    gen.if(_`${b} !== undefined`);
    gen.assign(c, _`${b} > ${a}`);
    gen.for(_`let ${d} = 0; ${d} < ${b}; ${d}++`, () => gen.code(_`${c} = ${d}`));
    gen.forRange('i', a, b, (i) => gen.if(_`${i} === ${c}`, () => gen.code(_`${e}++`)));
    gen.elseIf(_`${a} === ${c}`);
    gen.forOf('item', a, (item) => gen.assign(e, item));
    gen.else();
    gen.forIn('key', a, (key) => gen.if(_`${key} === ${b}`, () => gen.break()));
    gen.endIf();
    gen.try(
      () => gen.code(_`${e}(${a})`),
      (error) => gen.assign(c, error),
      () => gen.code(_`${d}`),
    );
    gen.return(c);
  });
  return (gen as unknown as { readonly _root: BlockNode })._root;
}

function equalCounts(x: Names, y: Names): boolean {
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  return keys.size > 0 && [...keys].every((k) => (x[k] || 0) === (y[k] || 0));
}
