import { type Document, isScalar, LineCounter, type Node, parseAllDocuments } from 'yaml';
import { pointerToPath } from '../../core/pointer.js';
import type { Problem } from '../../core/problem.js';
import { bareStar } from './yaml-bare-star.js';
import { YamlSourceDocument } from './yaml-document.js';
import { checkLimits, MAX_DEPTH } from './yaml-limits.js';
import { type Finding, type NodeFacts, pointerAtOffset, prepareDocument } from './yaml-prepare.js';

export interface ParsedYaml {
  documents: YamlSourceDocument[];
  problems: Problem[];
}

/** Every document of the text, as ldhooks reads YAML. */
function parse(text: string, lineCounter?: LineCounter): Document.Parsed[] {
  const docs = parseAllDocuments(text, {
    ...(lineCounter ? { lineCounter } : {}),
    prettyErrors: false,
    uniqueKeys: true,
    // A config is JSON-shaped data: no YAML 1.1 types, and no !!set, !!omap, !!binary or
    // !!timestamp, whose Sets, Maps, Buffers and Dates a JSON Schema cannot check.
    schema: 'core',
    resolveKnownTags: false,
  });
  return Array.isArray(docs) ? docs : [];
}

/**
 * Parses every document of a YAML file and interpolates `${NAME}` in string values. Problems
 * are returned, never thrown.
 */
export function parseYamlSource(
  file: string,
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  /** Given, unset variables are unknown placeholders (validate --allow-missing-env). */
  missing?: Set<string>,
): ParsedYaml {
  const lines = new LineCounter();
  const docs = parse(text, lines);
  const problems: Problem[] = [];
  const documents: YamlSourceDocument[] = [];
  const problem = (f: Finding): Problem => ({
    severity: 'error',
    code: f.code,
    file,
    ...lines.linePos(f.offset),
    path: pointerToPath(f.pointer),
    message: f.message,
    remedy: f.remedy,
  });

  // What the documents' `reparse` found, shared by the documents of the file.
  let again: Document.Parsed[] | undefined;
  const reparsed = new Map<number, { root: Node | null; facts: NodeFacts }>();
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      problems.push(...syntaxProblems(file, text, lines, doc));
      return;
    }
    // An empty document (a stray `---`) holds nothing; skip it unless the file has nothing else.
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return;
    // The value is built while preparing, aliases sharing their anchor's value as yaml's toJS
    // shares them; it is used only within the limits, checked on the measure that matters
    // (yaml's own alias count would refuse a config that merely reuses one anchor a hundred times).
    const { facts, findings, value, extent } = prepareDocument(doc, text, env, missing);
    const breach = checkLimits(doc.contents, facts.targets, extent);
    if (breach) {
      problems.push(problem(breach));
      return;
    }
    problems.push(...findings.map(problem));
    const reparse = () => {
      const known = reparsed.get(index);
      if (known) return known;
      // The file is parsed again once for all its documents: a file of many documents whose
      // names are declared again elsewhere would otherwise be parsed once per document.
      again ??= parse(text);
      const doc = again[index] as Document.Parsed;
      const nodes = prepareDocument(doc, text, env, missing && new Set());
      const found = { root: doc.contents, facts: nodes.facts };
      reparsed.set(index, found);
      return found;
    };
    documents.push(
      new YamlSourceDocument(
        file,
        index,
        value,
        { root: doc.contents, facts },
        text,
        lines,
        reparse,
      ),
    );
  });

  if (problems.length === 0 && documents.length === 0) {
    problems.push({
      severity: 'error',
      code: 'config.empty-file',
      file,
      line: 1,
      col: 1,
      path: '',
      message: 'the file holds no YAML document',
      remedy: 'write a config with "version: 1" and "webhooks:", or remove the file',
    });
  }
  return { documents, problems };
}

/**
 * One problem per distinct syntax error. Brackets nested past what the parser can follow end
 * in a stack overflow after hundreds of identical complaints: that is one problem, too deep.
 */
function syntaxProblems(
  file: string,
  text: string,
  lines: LineCounter,
  doc: Document.Parsed,
): Problem[] {
  const { errors } = doc;
  const overflow = errors.find((e) => /call stack/i.test(e.message));
  if (overflow) {
    return [
      {
        severity: 'error',
        code: 'yaml.too-deep',
        file,
        ...lines.linePos(errors[0]?.pos[0] ?? overflow.pos[0]),
        path: '',
        message: `values are nested more than ${MAX_DEPTH} levels deep`,
        remedy: 'flatten the document; a webhook config needs only a few levels',
      },
    ];
  }
  const seen = new Set<string>();
  return errors.flatMap((err) => {
    const key = `${err.pos[0]}:${err.message}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [syntaxProblem(file, text, lines, err, pointerAtOffset(doc, err.pos[0]))];
  });
}

function syntaxProblem(
  file: string,
  text: string,
  lines: LineCounter,
  err: Document.Parsed['errors'][number],
  pointer: string | undefined,
): Problem {
  const star = err.code === 'BAD_ALIAS' ? bareStar(text, err.pos[0], pointer) : undefined;
  return {
    severity: 'error',
    code: `yaml.${err.code.toLowerCase().replace(/_/g, '-')}`,
    file,
    ...lines.linePos(err.pos[0]),
    path: pointer === undefined ? '' : pointerToPath(pointer),
    message: `YAML syntax: ${star?.message ?? err.message}`,
    remedy: star?.remedy ?? yamlRemedy(err.code),
  };
}

function yamlRemedy(code: string): string {
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'indent with spaces; YAML does not allow tabs for indentation';
    case 'DUPLICATE_KEY':
      return 'remove or rename the repeated key';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
      return 'check the indentation and the brackets or quotes around this line';
    default:
      return 'fix the YAML syntax at this position';
  }
}
