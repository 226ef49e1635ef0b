// Localization check (`npm test`) and English bundle writer (`node scripts/l10n.mjs --write`).
// Every user-facing string of the extension goes through `l10n.t(...)` (package @vscode/l10n, configured with
// VS Code's bundle) or package.nls.json. This reads src/ with the TypeScript compiler and fails on prose that
// bypasses it, on an English bundle out of date, and on a translation missing a string or a placeholder.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SOURCE = path.join(root, 'src');
const BUNDLE = path.join(root, 'l10n', 'bundle.l10n.json');
const LANGUAGES = ['de'];

/** Text that reads as words to a person: two words in a row (a path, header, id or key does not). */
export const PROSE = /[A-Za-z]{2,}[,.:;!?)]? +[("']?[A-Za-z]{2,}/;
/** A template that puts a word next to a value ("${n} pending", "${a} of ${b}"): text, however short. */
const TEMPLATE_WORDS = /(^|\s)[A-Za-z]{2,}[,.:;!?)]?(\s|$)/;
/** Properties whose strings are for code: CSS classes, element ids, menu context values. */
const CODE_PROPERTIES = new Set(['class', 'id', 'contextValue']);
const LOG_METHODS = new Set(['trace', 'debug', 'info', 'warn', 'error']);
/** Properties whose strings a user reads as they are: command titles, quick pick items, input boxes, tooltips. */
const LABEL_PROPERTIES = new Set(['title', 'label', 'description', 'detail', 'placeHolder', 'prompt', 'tooltip']);

export function sourceFiles(dir = SOURCE) {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? sourceFiles(file) : file.endsWith('.ts') ? [file] : [];
  });
}

function isTranslateTag(node) {
  return ts.isTaggedTemplateExpression(node) && isTranslator(node.tag);
}

function isTranslator(callee) {
  return (
    (ts.isIdentifier(callee) && callee.text === 't') ||
    (ts.isPropertyAccessExpression(callee) && callee.name.text === 't' && callee.expression.getText().endsWith('l10n'))
  );
}

function isTranslateCall(node) {
  if (!ts.isCallExpression(node)) {
    return false;
  }
  const callee = node.expression;
  return (
    (ts.isIdentifier(callee) && callee.text === 't') ||
    (ts.isPropertyAccessExpression(callee) && callee.name.text === 't' && callee.expression.getText().endsWith('l10n'))
  );
}

/** Log lines are for support, in English like VS Code's own logs. */
function isLogCall(node) {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) {
    return false;
  }
  return LOG_METHODS.has(node.expression.name.text) && /log/i.test(node.expression.expression.getText());
}

export function literalText(node) {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    return node.text;
  }
  if (ts.isTemplateExpression(node)) {
    return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('{}');
  }
  return undefined;
}

/** A comment `Not user text: <why>` on the line before a statement marks its strings as code (HTML, headers). */
function markedNotUserText(node, source) {
  let statement = node;
  const holdsStatements = (node) => ts.isBlock(node) || ts.isSourceFile(node) || ts.isCaseClause(node) || ts.isDefaultClause(node);
  while (statement.parent !== undefined && !holdsStatements(statement.parent)) {
    statement = statement.parent;
  }
  const comments = ts.getLeadingCommentRanges(source.text, statement.getFullStart()) ?? [];
  return comments.some((range) => source.text.slice(range.pos, range.end).includes('Not user text'));
}

/** Where a string sits: a translation's key, a log line, code (import, type, key), or text a user may read. */
export function placeOf(node, source) {
  const parent = node.parent;
  if (markedNotUserText(node, source)) {
    return 'code';
  }
  if (ts.isPropertyAssignment(parent) && CODE_PROPERTIES.has(parent.name.getText().replace(/['"]/g, ''))) {
    return 'code';
  }
  if (ts.isBinaryExpression(parent) && parent.right === node && /\.contextValue$/.test(parent.left.getText())) {
    return 'code';
  }
  if (ts.isNewExpression(parent) && /^(Error|BerError|LdapTransportError|SaslBindError)$/.test(parent.expression.getText())) {
    // Thrown for developers (a broken invariant), or a protocol's diagnostic that the code turns into a translated
    // explanation (src/directory/) before anyone reads it; never shown as it is.
    return 'code';
  }
  if (
    ts.isImportDeclaration(parent) ||
    ts.isExportDeclaration(parent) ||
    ts.isLiteralTypeNode(parent) ||
    ts.isExternalModuleReference(parent)
  ) {
    return 'code';
  }
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent)) && parent.name === node) {
    return 'code';
  }
  if (isTranslateTag(parent)) {
    return 'key';
  }
  for (let at = node; at.parent !== undefined; at = at.parent) {
    if (ts.isCallExpression(at.parent)) {
      if (isTranslateCall(at.parent)) {
        return at.parent.arguments[0] === at ? 'key' : 'user';
      }
      if (isLogCall(at.parent)) {
        return 'log';
      }
    }
    if (ts.isBlock(at.parent) || ts.isSourceFile(at.parent)) {
      break;
    }
  }
  return 'user';
}

export function scan(dir = SOURCE) {
  const keys = new Map();
  const bypassing = [];
  for (const file of sourceFiles(dir)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node) => {
      const text = literalText(node);
      if (text !== undefined) {
        const place = placeOf(node, source);
        const where = `${path.relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        if (place === 'key') {
          keys.set(ts.isTemplateExpression(node) ? keyOfTemplate(node) : text, where);
        } else if (place === 'user' && isUserProse(node)) {
          bypassing.push(`${where}: ${JSON.stringify(text.slice(0, 100))}`);
        }
        if (!ts.isTemplateExpression(node)) {
          return;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { keys, bypassing };
}

/** Whether a string (in a place users see) reads as words: prose, or a template that puts a word next to a value. */
export function isUserProse(node) {
  const text = literalText(node);
  if (text === undefined) {
    return false;
  }
  return (
    PROSE.test(text) ||
    (ts.isTemplateExpression(node) && / /.test(text) && TEMPLATE_WORDS.test(text.replace(/\{\}/g, ' '))) ||
    isUserLabel(node, text)
  );
}

/**
 * One word a user reads all the same: a state that trails off ("loading…"), a button (of a message or the
 * dashboard), the label a tree item (or any class) passes to its base, a title or label given as a property, the
 * text of a dashboard element, the label of a `[label, value]` row. German users once met "Watched",
 * "loading…", "Open", "Total" and "Range" in English.
 */
function isUserLabel(node, text) {
  if (!/[A-Za-z]{2,}/.test(text)) {
    return false;
  }
  if (text.endsWith('…')) {
    return true;
  }
  // A word, not a key, path or GUID.
  if (!/^\(?[A-Za-z][A-Za-z' -]*\)?$/.test(text)) {
    return false;
  }
  let value = node;
  while (ts.isConditionalExpression(value.parent) && value.parent.condition !== value) {
    value = value.parent;
  }
  const call = value.parent;
  // A tooltip row: [label, value], the value computed.
  if (ts.isArrayLiteralExpression(call) && call.elements.length === 2 && call.elements[0] === value) {
    const shown = call.elements[1];
    const constant =
      shown === undefined ||
      ts.isStringLiteralLike(shown) ||
      ts.isNumericLiteral(shown) ||
      shown.getText() === 'undefined' ||
      shown.kind === ts.SyntaxKind.NullKeyword;
    return !constant;
  }
  if (ts.isPropertyAssignment(call) && call.initializer === value) {
    return LABEL_PROPERTIES.has(call.name.getText().replace(/['"]/g, ''));
  }
  if (!ts.isCallExpression(call)) {
    return false;
  }
  const callee = call.expression;
  if (callee.kind === ts.SyntaxKind.SuperKeyword) {
    return call.arguments[0] === node;
  }
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : callee.getText();
  const position = call.arguments.indexOf(node);
  return (
    (/^show(Information|Warning|Error)Message$/.test(name) && position > 0) ||
    (name === 'button' && position === 0) ||
    // The dashboard's DOM: an element's text children, a card's and a column heading's label.
    (name === 'el' && position >= 2) ||
    ((name === 'card' || name === 'heading') && position === 1)
  );
}

/** The key @vscode/l10n makes of a tagged template: its parts joined by {0}, {1}, … */
function keyOfTemplate(node) {
  return [node.head.text, ...node.templateSpans.map((span, index) => `{${index}}${span.literal.text}`)].join('');
}

function placeholders(text) {
  return [...text.matchAll(/\{(\d+)\}/g)]
    .map((match) => match[1])
    .sort()
    .join();
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function check() {
  const { keys, bypassing } = scan();
  const problems = bypassing.map((line) => `not localized: ${line}`);
  const english = readJson(BUNDLE);
  const expected = Object.fromEntries([...keys.keys()].sort().map((key) => [key, key]));
  if (JSON.stringify(english) !== JSON.stringify(expected)) {
    problems.push('l10n/bundle.l10n.json is out of date: run node scripts/l10n.mjs --write');
  }
  const nls = readJson(path.join(root, 'package.nls.json'));
  const manifest = readFileSync(path.join(root, 'package.json'), 'utf8');
  for (const [, key] of manifest.matchAll(/"%([^%"]+)%"/g)) {
    if (!(key in nls)) {
      problems.push(`package.json uses %${key}% but package.nls.json has no such key`);
    }
  }
  for (const language of LANGUAGES) {
    const pairs = [
      [english, readJson(path.join(root, 'l10n', `bundle.l10n.${language}.json`)), `l10n/bundle.l10n.${language}.json`],
      [nls, readJson(path.join(root, `package.nls.${language}.json`)), `package.nls.${language}.json`],
    ];
    for (const [source, translated, name] of pairs) {
      for (const [key, text] of Object.entries(source)) {
        const translation = translated[key];
        if (typeof translation !== 'string' || translation.trim() === '') {
          problems.push(`${name} lacks ${JSON.stringify(key.slice(0, 80))}`);
        } else if (placeholders(translation) !== placeholders(text)) {
          problems.push(`${name}: the placeholders of ${JSON.stringify(key.slice(0, 60))} differ`);
        }
      }
      for (const key of Object.keys(translated)) {
        if (!(key in source)) {
          problems.push(`${name} has a string no longer used: ${JSON.stringify(key.slice(0, 80))}`);
        }
      }
    }
  }
  return problems;
}

const main = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (!main) {
  // Imported (by a test): nothing to run.
} else if (process.argv.includes('--write')) {
  const { keys } = scan();
  writeFileSync(BUNDLE, `${JSON.stringify(Object.fromEntries([...keys.keys()].sort().map((key) => [key, key])), null, 2)}\n`);
  console.log(`${keys.size} strings in ${path.relative(root, BUNDLE)}`);
} else if (process.argv.includes('--list')) {
  const { bypassing } = scan();
  console.log(bypassing.join('\n'));
  console.log(`${bypassing.length} strings bypass l10n`);
} else {
  const problems = check();
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    console.error(`${problems.length} localization problem${problems.length === 1 ? '' : 's'}.`);
    process.exit(1);
  }
  console.log('Localization: every user-facing string goes through l10n, and German has them all.');
}
