// The repo resolves modules the classic "node" way, which ignores package
// `exports`; this points graphql-ws's documented entry point at its types.
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws';
}
