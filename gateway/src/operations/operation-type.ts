import { getOperationAST, parse, type DocumentNode, type OperationTypeNode } from 'graphql';

/** The document and the type of the operation it runs, or null when it does not parse or names no operation (Apollo then says why). */
export function operationTypeOf(query: string, operationName: string | null | undefined): { document: DocumentNode; type: OperationTypeNode } | null {
  try {
    const document = parse(query);
    const operation = getOperationAST(document, operationName ?? undefined);
    return operation ? { document, type: operation.operation } : null;
  } catch {
    return null;
  }
}
