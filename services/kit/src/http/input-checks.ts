import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';
import { ErrorCode } from '../graphql/errors';

/**
 * Brackets ({, [, () a document may nest, and levels a JSON body may nest. Far above any
 * operation the hub serves (its field depth limit is 12), far below what a recursive parser
 * or validator survives.
 */
export const DEFAULT_MAX_NESTING = 64;

/**
 * Where the first character no text of the hub holds is, or -1: the C0 controls but tab, line
 * feed and carriage return, DEL, and the C1 controls. PostgreSQL refuses NUL in text
 * outright, so one would otherwise surface as an internal error from deep inside a resolver.
 */
function controlAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c <= 0x9f)) return i;
  }
  return -1;
}

const codePoint = (text: string) => `U+${text.charCodeAt(controlAt(text)).toString(16).toUpperCase().padStart(4, '0')}`;

function controlCharacter(where: string, text: string, details: Record<string, unknown>): GraphQLError {
  return new GraphQLError(`${where} holds a control character (${codePoint(text)}); text may hold tabs and line breaks but no other control characters.`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, reason: 'CONTROL_CHARACTER', ...details, http: { status: 400 } },
  });
}

function tooDeep(what: string, max: number): GraphQLError {
  return new GraphQLError(`${what} nests more than ${max} levels deep; at most ${max} are read. Split the operation into several.`, {
    extensions: { code: ErrorCode.OPERATION_LIMIT, limit: 'depth', max, http: { status: 400 } },
  });
}

/**
 * Reads a document's tokens once, before it is parsed: brackets nested deeper than
 * `maxNesting` are refused (the parser and the validation rules recurse once a level, so a
 * deep enough document would exhaust the stack), as is a string literal holding a control
 * character (an escaped \u0000, say). A document the lexer cannot read is left to the
 * parser, whose error says where.
 */
export function checkDocumentText(text: string, maxNesting = DEFAULT_MAX_NESTING): GraphQLError | undefined {
  const lexer = new Lexer(new Source(text));
  let depth = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      const kind = token.kind;
      if (kind === TokenKind.BRACE_L || kind === TokenKind.BRACKET_L || kind === TokenKind.PAREN_L) {
        if (++depth > maxNesting) return tooDeep('The document', maxNesting);
      } else if (kind === TokenKind.BRACE_R || kind === TokenKind.BRACKET_R || kind === TokenKind.PAREN_R) depth--;
      else if ((kind === TokenKind.STRING || kind === TokenKind.BLOCK_STRING) && controlAt(token.value) >= 0)
        return controlCharacter('A string in the document', token.value, { line: token.line, column: token.column });
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Walks a JSON value without recursion (a body may nest a million arrays in one MiB):
 * deeper than `maxNesting` is refused, and, where `text` is set, any string with a control
 * character. `name` says which part of the request it is, for the message.
 */
function checkJson(value: unknown, name: string, text: boolean, maxNesting: number, details: Record<string, unknown>): GraphQLError | undefined {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (typeof current === 'string') {
      if (text && controlAt(current) >= 0) return controlCharacter(name, current, details);
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= maxNesting) return tooDeep(name, maxNesting);
    for (const item of Array.isArray(current) ? current : Object.values(current)) stack.push([item, depth + 1]);
  }
  return undefined;
}

/** The variables: each string free of control characters, each value nested at most `maxNesting` deep. */
export function checkVariables(variables: unknown, maxNesting = DEFAULT_MAX_NESTING): GraphQLError | undefined {
  if (variables === null || typeof variables !== 'object' || Array.isArray(variables)) return checkJson(variables, 'The variables', true, maxNesting, {});
  for (const [name, value] of Object.entries(variables)) {
    const refused = checkJson(value, `Variable "$${name}"`, true, maxNesting, { variable: name });
    if (refused) return refused;
  }
  return undefined;
}

/**
 * Everything a GraphQL request carries, checked before it is parsed, validated or used as a
 * cache key (each of which recurses): the document's nesting and string literals, the
 * variables' strings and nesting, and the nesting of the rest of the body.
 */
export function checkRequestInputs(
  request: { query?: unknown; variables?: unknown; rest?: unknown },
  maxNesting = DEFAULT_MAX_NESTING,
): GraphQLError | undefined {
  return (
    (typeof request.query === 'string' ? checkDocumentText(request.query, maxNesting) : undefined) ??
    checkVariables(request.variables, maxNesting) ??
    checkJson(request.rest, 'The request body', false, maxNesting, {})
  );
}
