import { buildSchema } from 'graphql';
import * as documentLimits from '../src/limits/document-limits';
import { AdmittedDocuments } from '../src/limits/admitted-documents';
import { defaultOperationLimits } from '../src/limits/settings';

/** The memo in front of checkDocument: what it may skip and what it must check every time. */

const schema = buildSchema(`type Query { items(first: Int): [Item!]! item(id: ID!): Item } type Item { id: ID! name: String }`);
const cheap = '{ item(id: "1") { id name } }';
const costly = '{ items(first: 100000) { id name } }';

afterEach(() => jest.restoreAllMocks());

describe('AdmittedDocuments', () => {
  it('checks a document without variables once per schema and limits, then lets it pass unchecked', () => {
    const check = jest.spyOn(documentLimits, 'checkDocument');
    const documents = new AdmittedDocuments();
    expect(documents.check(cheap, defaultOperationLimits, schema, undefined)).toBeNull();
    expect(documents.check(cheap, defaultOperationLimits, schema, {})).toBeNull();
    expect(check).toHaveBeenCalledTimes(1);
    // Other limits (another client, or clients.json reloaded) and another schema (a reload) are checked afresh.
    expect(documents.check(cheap, { ...defaultOperationLimits }, schema, undefined)).toBeNull();
    expect(documents.check(cheap, defaultOperationLimits, buildSchema('type Query { item(id: ID!): Item } type Item { id: ID! name: String }'), undefined)).toBeNull();
    expect(check).toHaveBeenCalledTimes(3);
  });

  it('never remembers a refusal: the same over-limit document is refused every time', () => {
    const documents = new AdmittedDocuments();
    for (let i = 0; i < 2; i += 1) expect(documents.check(costly, defaultOperationLimits, schema, undefined)?.extensions.code).toBe('COST_LIMIT_EXCEEDED');
  });

  it('checks a document with variables every time, since the cost reads them', () => {
    const documents = new AdmittedDocuments();
    const query = 'query ($n: Int) { items(first: $n) { id name } }';
    expect(documents.check(query, defaultOperationLimits, schema, { n: 1 })).toBeNull();
    expect(documents.check(query, defaultOperationLimits, schema, { n: 100000 })?.extensions.code).toBe('COST_LIMIT_EXCEEDED');
  });
});
