// Codegen document transform for the web app's operations: `__typename` on every
// selection set, in the persisted documents themselves. Apollo Client adds it to
// what it sends, but a client sending ids runs the stored document, and the
// cache needs `__typename` to match fragments and to normalize objects by id.
exports.transform = require('@graphql-codegen/client-preset').addTypenameSelectionDocumentTransform.transform;
