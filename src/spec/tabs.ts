/**
 * YAML forbids tabs in indentation, but the parser's YAML reader accepts them and builds a
 * different structure, so the user would be told about a misplaced key instead of the tab. This
 * check names the tab itself. The strict reader (`yaml`) is loaded only for YAML text holding a tab.
 */
import { CodegenError, type Diagnostic } from '../errors.js';
import { looksLikeJson } from './json.js';
import type { SpecSource } from './load.js';

export async function checkTabs(source: SpecSource): Promise<void> {
  // Tabs are whitespace like any other in JSON.
  if (!source.text.includes('\t') || looksLikeJson(source) || /^\s*\[/.test(source.text)) return;
  const { parseDocument } = await import('yaml');
  const errors = parseDocument(source.text, { prettyErrors: true }).errors.filter((e) => e.code === 'TAB_AS_INDENT');
  if (errors.length === 0) return;
  const diagnostics: Diagnostic[] = errors.map((e) => ({
    severity: 'error',
    code: 'yaml-tab-indent',
    message: 'a tab is used for indentation; YAML indents with spaces only',
    hint: 'replace the tab at the start of this line with spaces (set your editor to insert spaces in YAML files)',
    location: { file: source.file, ...(e.linePos ? { line: e.linePos[0].line, column: e.linePos[0].col } : {}) },
  }));
  throw new CodegenError({
    code: 'yaml-tab-indent',
    message: `${source.file} is not valid YAML: ${errors.length} line${errors.length === 1 ? '' : 's'} indented with tabs`,
    location: { file: source.file },
    diagnostics,
  });
}
