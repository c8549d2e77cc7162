export type OperationType = 'query' | 'mutation' | 'subscription';

export interface OperationInfo {
  type: OperationType;
  name: string | undefined;
}

// Comments, strings (block and plain), punctuation that nests, and names. Strings and comments
// are matched whole so braces inside them are not counted.
const TOKEN = /#[^\n\r]*|"""[\s\S]*?"""|"(?:\\.|[^"\\\n\r])*"|[{}()]|[_A-Za-z][_0-9A-Za-z]*/g;

/**
 * The type and name of the (first) operation in a GraphQL document, read from its text without
 * parsing it: enough to decide whether a request may be retried. Fragment definitions are
 * skipped; a document with no operation keyword before its selection set is a query.
 * Returns undefined for a document with no operation.
 */
export function operationInfo(document: string): OperationInfo | undefined {
  let braces = 0;
  let parens = 0;
  // At the start of a definition the next name is its keyword.
  let atDefinition = true;
  let type: OperationType | undefined;
  for (const [token] of document.matchAll(TOKEN)) {
    const first = token[0];
    if (first === '#' || first === '"') continue;
    if (type) return { type, name: token === '(' || token === '{' ? undefined : token };
    if (token === '(') parens++;
    else if (token === ')') parens--;
    else if (parens > 0) continue;
    else if (token === '{') {
      if (atDefinition && braces === 0) return { type: 'query', name: undefined };
      braces++;
    } else if (token === '}') {
      braces--;
      if (braces === 0) atDefinition = true;
    } else if (atDefinition && braces === 0) {
      atDefinition = false;
      if (token === 'query' || token === 'mutation' || token === 'subscription') type = token;
    }
  }
  return type && { type, name: undefined };
}
