import { GraphQLError, Kind, visit, type DocumentNode } from 'graphql';

import { refusal, RefusalCode } from '../errors/registry';

const nul = '\u0000';

/** Whether any string among `variables` holds a NUL; walked without recursion, as variables may nest thousands deep. */
function nulInVariables(variables: unknown): boolean {
  const pending: unknown[] = [variables];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.includes(nul)) return true;
    } else if (typeof value === 'object' && value !== null) {
      // One by one: spreading a list of a few hundred thousand items would overflow the call stack.
      for (const item of Array.isArray(value) ? value : Object.values(value)) pending.push(item);
    }
  }
  return false;
}

function nulInDocument(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.STRING]: (node) => {
      if (node.value.includes(nul)) found = true;
    },
  });
  return found;
}

/**
 * Postgres `text`, where every subgraph keeps its strings, cannot hold U+0000:
 * a string carrying one would fail in the database, after the subgraph had
 * begun its work, as an INTERNAL_SERVER_ERROR. Refused here instead, as bad
 * input, before anything reaches a subgraph, whichever field it is for.
 */
export function checkStorableText(document: DocumentNode, variables: unknown): GraphQLError | null {
  if (!nulInVariables(variables) && !nulInDocument(document)) return null;
  return refusal(RefusalCode.BadUserInput, 'Text may not contain the NUL character (U+0000)');
}
