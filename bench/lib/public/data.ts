/**
 * The data of the public federation benchmark (The Guild's graphql-gateways-benchmark):
 * the classic accounts / inventory / products / reviews demo, with the same
 * sizes and relations as its subgraphs (6 users, 9 products, 11 reviews over
 * 4 products, every review written by user 1), so the heavy query fans out
 * the same way. Only facts are reproduced; the texts are our own.
 */
export interface User {
  id: string;
  name: string;
  username: string;
  birthday: number;
}

export interface Product {
  upc: string;
  name: string;
  price: number;
  weight: number;
}

export interface Review {
  id: string;
  body: string;
  productUpc: string;
}

export const users: readonly User[] = [
  ['1', 'Ada Lovelace', 'ada'],
  ['2', 'Alan Turing', 'alan'],
  ['3', 'Grace Hopper', 'grace'],
  ['4', 'Edsger Dijkstra', 'edsger'],
  ['5', 'Barbara Liskov', 'barbara'],
  ['6', 'Donald Knuth', 'donald'],
].map(([id, name, username]) => ({ id: id!, name: name!, username: username!, birthday: 1234567890 }));

export const products: readonly Product[] = [
  ['1', 'Table', 899, 100],
  ['2', 'Couch', 1299, 1000],
  ['3', 'Glass', 15, 20],
  ['4', 'Chair', 499, 100],
  ['5', 'TV', 1299, 1000],
  ['6', 'Lamp', 6999, 300],
  ['7', 'Grill', 3999, 2000],
  ['8', 'Fridge', 100000, 6000],
  ['9', 'Sofa', 9999, 800],
].map(([upc, name, price, weight]) => ({ upc: String(upc), name: String(name), price: Number(price), weight: Number(weight) }));

/** In stock or not, by upc (the inventory subgraph's own data). */
export const inStock: ReadonlyMap<string, boolean> = new Map([
  ['1', true],
  ['2', false],
  ['3', false],
  ['4', false],
  ['5', true],
  ['6', true],
  ['7', true],
  ['8', false],
  ['9', true],
]);

/** Bodies of a few hundred characters, as the original's are: response size matters to a gateway. */
const long = (seed: string, length: number) => seed.repeat(Math.ceil(length / seed.length)).slice(0, length);
const bodies = [
  long('Sturdy, easy to assemble and it looks better than in the pictures. ', 440),
  long('Arrived a week late, but the quality makes up for the wait. ', 300),
  long('Exactly what the description promised, nothing more and nothing less. ', 280),
  long('Would buy again. ', 140),
  long('Solid value for the price; the finish scratches a little too easily though. ', 880),
];

export const reviews: readonly Review[] = [
  ['1', 0, '1'],
  ['2', 1, '1'],
  ['3', 2, '1'],
  ['4', 3, '1'],
  ['5', 0, '2'],
  ['6', 1, '2'],
  ['7', 2, '2'],
  ['8', 3, '2'],
  ['9', 3, '3'],
  ['10', 3, '4'],
  ['11', 4, '4'],
].map(([id, body, productUpc]) => ({ id: String(id), body: bodies[Number(body)]!, productUpc: String(productUpc) }));

/** Every review's author, as in the original: the reviews subgraph knows only that user's id and username. */
export const author = users[0]!;

/** What the reviews subgraph lists as any user's reviews (the original returns its first two). */
export const reviewsOfAnyUser = reviews.slice(0, 2);
