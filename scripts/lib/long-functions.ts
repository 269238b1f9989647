/**
 * Finds the long functions in functions/ (issue 14: no function longer than about 80 lines without a
 * reason in its comment). A function is long when its body spans more than LONG_FUNCTION_LINES lines;
 * it is explained when a comment just before it (or before the declaration that holds it) has a line
 * starting `Long:` that says why it stays long. Tests and their fixtures are not counted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** More lines than this make a function long. */
export const LONG_FUNCTION_LINES = 80;

export interface LongFunction {
  /** Repository-relative path. */
  file: string;
  /** The function's name as written (`createAdminHandler`, `Class.method`, `<arrow in routes>`). */
  name: string;
  /** 1-based line of its start. */
  line: number;
  lines: number;
  /** The `Long:` reason from its comment, if it has one. */
  reason?: string;
}

function nameOf(node: ts.Node, source: ts.SourceFile): string {
  const named = (node as { name?: ts.Node }).name;
  if (named && (ts.isIdentifier(named) || ts.isStringLiteral(named) || ts.isPrivateIdentifier(named))) {
    const owner = node.parent && (ts.isClassLike(node.parent) || ts.isObjectLiteralExpression(node.parent)) ? ownerName(node.parent) : undefined;
    return owner ? `${owner}.${named.text}` : named.text;
  }
  if (ts.isConstructorDeclaration(node)) return `${ownerName(node.parent) ?? '<class>'}.constructor`;
  const holder = holderOf(node);
  if (holder && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) return holder.name.text;
  if (holder && ts.isPropertyAssignment(holder)) return `${ownerName(holder.parent) ?? '<object>'}.${holder.name.getText(source)}`;
  return '<anonymous>';
}

function ownerName(node: ts.Node): string | undefined {
  if (ts.isClassLike(node)) return node.name?.text;
  const holder = holderOf(node);
  return holder && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name) ? holder.name.text : undefined;
}

/** The declaration or property an expression is the value of (through `as`, parentheses and calls such as `middy().handler(fn)`). */
function holderOf(node: ts.Node): ts.Node | undefined {
  let n: ts.Node = node;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isSatisfiesExpression(n.parent) || ts.isCallExpression(n.parent) || ts.isPropertyAccessExpression(n.parent))) n = n.parent;
  const p = n.parent;
  return p && (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p)) ? p : undefined;
}

/** The nodes whose leading comments may explain the function: itself, its declaration and statement, an export. */
function commentHolders(node: ts.Node): ts.Node[] {
  const holders = [node];
  const holder = holderOf(node);
  if (holder) {
    holders.push(holder);
    if (ts.isVariableDeclaration(holder)) holders.push(holder.parent.parent); // the VariableStatement
  }
  return holders;
}

function reasonOf(node: ts.Node, source: ts.SourceFile): string | undefined {
  const text = source.getFullText();
  for (const holder of commentHolders(node)) {
    for (const range of ts.getLeadingCommentRanges(text, holder.getFullStart()) ?? []) {
      // The `Long:` line and the comment lines after it, up to a blank line, a tag or the comment's end.
      const lines = text.slice(range.pos, range.end).split('\n').map((l) => l.replace(/^\s*(?:\/\*\*?|\*\/|\*|\/\/)?\s?/, '').replace(/\s*\*\/\s*$/, '').trim());
      const at = lines.findIndex((l) => l.startsWith('Long:'));
      if (at < 0) continue;
      const rest = lines.slice(at + 1);
      const stop = rest.findIndex((l) => !l || l.startsWith('@'));
      return [lines[at]!.slice('Long:'.length), ...(stop < 0 ? rest : rest.slice(0, stop))].join(' ').trim();
    }
  }
  return undefined;
}

/** The functions longer than `limit` lines in one file's source. */
export function longFunctionsIn(file: string, text: string, limit = LONG_FUNCTION_LINES): LongFunction[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > limit) {
        const reason = reasonOf(node, source);
        found.push({ file, name: nameOf(node, source), line: start + 1, lines, ...(reason ? { reason } : {}) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const isTestFile = (path: string) => /\.test\.ts$/.test(path) || /(^|\/)test-[\w-]+\.ts$/.test(path) || /-test-items\.ts$/.test(path);

/** Every long function under `dir` (repository-relative) of the repository at `root`, longest first. */
export function longFunctions(root: string, dir = 'functions', limit = LONG_FUNCTION_LINES): LongFunction[] {
  const files = readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/'))
    .filter((p) => !isTestFile(p))
    .sort();
  return files.flatMap((f) => longFunctionsIn(f, readFileSync(join(root, f), 'utf8'), limit)).sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file));
}
