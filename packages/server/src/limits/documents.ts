// Limits on the document itself, checked at parse and validation before any resolver runs:
// size (tokens, characters), shape (depth, aliases, directives), introspection and field
// suggestions (GraphQL Armor and graphql-js rules), each refusal with its own code.
import { characterLimitPlugin } from '@escape.tech/graphql-armor-character-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, getNamedType, isIntrospectionType, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { SecuritySettings } from '../config.ts';
import { ErrorCode, refusal } from '../errors.ts';
import { useNoSuggestions } from './suggestions.ts';

/** Armor reports a plain GraphQLError; throwing ours instead stops at one coded error. */
function rejectWith(code: ErrorCode) {
  return {
    onReject: [
      (_context: unknown, error: GraphQLError) => {
        throw refusal(code, error.message.replace(/^Syntax Error: /, ''));
      },
    ],
  };
}

/** graphql-js's NoSchemaIntrospectionCustomRule, with a code. */
const noIntrospection: ValidationRule = (context) => {
  let reported = false;
  return {
    Field(node) {
      const type = getNamedType(context.getType());
      if (!reported && type && isIntrospectionType(type)) {
        reported = true; // one error per document, not one per introspection field
        context.reportError(
          new GraphQLError(`Introspection is disabled on this server ("${node.name.value}").`, {
            nodes: node,
            extensions: { code: ErrorCode.INTROSPECTION_DISABLED },
          }),
        );
      }
    },
  };
};

/** Document limits, in the order they must wrap each other. */
export function documentLimitPlugins(settings: SecuritySettings): Plugin[] {
  const plugins: (Plugin | false)[] = [
    // Both replace the parse function; the token counter ignores the one it was given, so it
    // goes first and the character limit wraps it.
    maxTokensPlugin({
      n: settings.maxTokens,
      ...rejectWith(ErrorCode.TOKEN_LIMIT_EXCEEDED),
    }) as Plugin,
    characterLimitPlugin({
      maxLength: settings.maxCharacters,
      ...rejectWith(ErrorCode.CHARACTER_LIMIT_EXCEEDED),
    }) as Plugin,
    maxDepthPlugin({
      n: settings.maxDepth,
      flattenFragments: true,
      ...rejectWith(ErrorCode.DEPTH_LIMIT_EXCEEDED),
    }) as Plugin,
    // No exemption for __typename: a thousand aliased __typename still cost a thousand fields.
    maxAliasesPlugin({
      n: settings.maxAliases,
      allowList: [],
      ...rejectWith(ErrorCode.ALIAS_LIMIT_EXCEEDED),
    }) as Plugin,
    maxDirectivesPlugin({
      n: settings.maxDirectives,
      ...rejectWith(ErrorCode.DIRECTIVE_LIMIT_EXCEEDED),
    }) as Plugin,
    !settings.introspection && {
      onValidate: ({ addValidationRule }) => addValidationRule(noIntrospection),
    },
    !settings.fieldSuggestions && useNoSuggestions(),
  ];
  return plugins.filter((plugin): plugin is Plugin => plugin !== false);
}
