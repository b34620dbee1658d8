/** JSON syntax errors at their own line and column, in the JSON parser's words (src/spec/json.ts). */
import { describe, expect, it } from 'vitest';
import { jsonSyntaxError, looksLikeJson } from '../../src/spec/json.js';

describe('jsonSyntaxError', () => {
  it.each([
    ['a doubled comma', { given: '{\n  "asyncapi": "3.0.0",,\n  "info": {}\n}\n', want: { message: 'Expected double-quoted property name', line: 2, column: 23 } }],
    ['the end of the text too early', { given: '{"asyncapi": "3.0.0", "info": {', want: { message: "Expected property name or '}'", line: 1, column: 32 } }],
    ['a misspelt literal, where JSON.parse gives no position', { given: '{\n  "a": tru}', want: { message: "Unexpected token '}'", line: 2, column: 11 } }],
    ['an undefined value', { given: '{"a": undefined}', want: { message: "Unexpected token 'u'", line: 1, column: 7 } }],
    ['a trailing comma in an array', { given: '{"a": [1,]}', want: { message: "Unexpected token ']'", line: 1, column: 10 } }],
    ['a second document', { given: '{}\n{}', want: { message: 'Unexpected non-whitespace character after JSON', line: 2, column: 1 } }],
    ['nothing but space', { given: '  \n', want: { message: 'Unexpected end of JSON input', line: 1, column: 1 } }],
  ])('%s', (_name, { given, want }) => {
    const d = jsonSyntaxError({ file: 'spec.json', text: given });
    expect(d && { message: d.message, line: d.location?.line, column: d.location?.column }).toEqual(want);
    expect(d?.code).toBe('json-syntax');
  });

  it('says nothing about valid JSON', () => {
    expect(jsonSyntaxError({ file: 'spec.json', text: '{"asyncapi": "3.0.0"}' })).toBeUndefined();
  });
});

describe('looksLikeJson', () => {
  it.each([
    ['a .json file', { given: { file: 'a.JSON', text: 'asyncapi: 3.0.0' }, want: true }],
    ['JSON text in a .yaml file', { given: { file: 'a.yaml', text: '\n {"asyncapi": "3.0.0"}' }, want: true }],
    ['YAML', { given: { file: 'a.yaml', text: 'asyncapi: 3.0.0' }, want: false }],
  ])('%s', (_name, { given, want }) => {
    expect(looksLikeJson(given)).toBe(want);
  });
});
