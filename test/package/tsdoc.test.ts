import path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/paths.js';
import { SPAWN_TIMEOUT_MS } from '../support/timeouts.js';

/**
 * The entry points a user imports, as npm ships them: the declaration files that `npm test`
 * built. Their doc comments are what an editor shows on hover, so they are the ones checked.
 */
const ENTRIES = {
  ldhooks: 'dist/index.d.ts',
  'ldhooks/emulator': 'dist/adapters/emulator/index.d.ts',
} as const;

/** The main entries, which also carry a worked example. */
const WITH_EXAMPLE = ['loadConfig', 'plan', 'apply', 'verifySignature', 'startEmulator'];

interface Export {
  entry: string;
  name: string;
  /** The symbol's own doc comment, from its declaration (not a comment on a re-export). */
  summary: string;
  tags: string[];
  /** For a function: its parameter names, and those its @param tags name. */
  params: string[];
  documentedParams: string[];
}

let exported: Export[];

beforeAll(() => {
  const files = Object.values(ENTRIES).map((f) => path.join(ROOT, f));
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: [],
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  exported = Object.entries(ENTRIES).flatMap(([entry, file]) => {
    const source = program.getSourceFile(path.join(ROOT, file));
    if (!source) throw new Error(`${file} is missing: npm test builds dist/ first`);
    const module = checker.getSymbolAtLocation(source) as ts.Symbol;
    return checker.getExportsOfModule(module).map((symbol) => {
      const target =
        symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const declaration = target.declarations?.[0];
      const docs = (target.declarations ?? []).flatMap((d) =>
        ts.getJSDocCommentsAndTags(d).filter(ts.isJSDoc),
      );
      const text = (c: ts.JSDoc['comment']) =>
        typeof c === 'string' ? c : (ts.getTextOfJSDocComment(c) ?? '');
      const tags = docs.flatMap((d) => [...(d.tags ?? [])]);
      const params =
        declaration && ts.isFunctionDeclaration(declaration)
          ? declaration.parameters.map((p) => p.name.getText())
          : [];
      return {
        entry,
        name: symbol.name,
        summary: docs
          .map((d) => text(d.comment))
          .join('\n')
          .trim(),
        tags: tags.map((t) => t.tagName.text),
        params,
        documentedParams: tags.filter(ts.isJSDocParameterTag).map((t) => t.name.getText()),
      };
    });
  });
}, SPAWN_TIMEOUT_MS);

describe('the documented library API', () => {
  it('sees every entry point and the main entries', () => {
    // A walk that found nothing would pass the checks below: make sure it sees the API.
    const names = exported.map((e) => `${e.entry}:${e.name}`);
    for (const name of WITH_EXAMPLE) expect(names).toContain(`ldhooks:${name}`);
    expect(names).toContain('ldhooks/emulator:startEmulator');
    expect(exported.length).toBeGreaterThan(60);
  });

  it('has a doc comment on every export of ldhooks and ldhooks/emulator', () => {
    const undocumented = exported
      .filter((e) => e.summary.length < 10)
      .map((e) => `${e.entry}: ${e.name}`);
    expect(undocumented).toEqual([]);
  });

  it('gives each main entry a worked example, and documents its parameters and result', () => {
    for (const name of WITH_EXAMPLE) {
      const e = exported.find((x) => x.entry === 'ldhooks' && x.name === name) as Export;
      expect(e.tags, name).toContain('example');
      expect(e.tags, name).toContain('returns');
      expect(e.documentedParams, name).toEqual(e.params);
    }
  });

  it('names only real parameters in @param tags', () => {
    const wrong = exported.flatMap((e) =>
      e.documentedParams
        .filter((p) => e.params.length > 0 && !e.params.includes(p))
        .map((p) => `${e.entry}: ${e.name} documents @param ${p}, which it does not take`),
    );
    expect(wrong).toEqual([]);
  });
});
