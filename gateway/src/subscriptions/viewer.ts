import { TypeInfo, visit, visitWithTypeInfo, BREAK, type DocumentNode, type GraphQLSchema } from 'graphql';

/** The directive (composed from the subgraphs) on fields whose value depends on who asks. */
const perViewer = 'perViewer';

/**
 * Whether the document selects a field marked `@perViewer` anywhere. Such a
 * subscription cannot share one resolution per event between users, since
 * each would see something else; all others can, whoever subscribes.
 */
export function selectsPerViewerField(supergraphSchema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(supergraphSchema);
  let found = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        if (typeInfo.getFieldDef()?.astNode?.directives?.some((directive) => directive.name.value === perViewer)) {
          found = true;
          return BREAK;
        }
        return undefined;
      },
    }),
  );
  return found;
}
