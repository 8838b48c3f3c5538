/**
 * The cart, in localStorage so it survives a reload. An order is placed with
 * one shop, so a cart holds one shop's products; adding from another shop
 * starts a new cart (the page says so).
 */
export interface CartLine {
  productId: string;
  name: string;
  priceCents: number;
  quantity: number;
}

export interface Cart {
  shopId: string;
  shopName: string;
  lines: CartLine[];
}

const storageKey = 'commerce.cart';
const listeners = new Set<() => void>();
let current: Cart | null = read();

function read(): Cart | null {
  try {
    const raw = localStorage.getItem(storageKey);
    return raw ? (JSON.parse(raw) as Cart) : null;
  } catch {
    return null;
  }
}

function set(cart: Cart | null): void {
  current = cart && cart.lines.length > 0 ? cart : null;
  if (current) localStorage.setItem(storageKey, JSON.stringify(current));
  else localStorage.removeItem(storageKey);
  for (const listener of listeners) listener();
}

window.addEventListener('storage', (event) => {
  if (event.key !== storageKey) return;
  current = read();
  for (const listener of listeners) listener();
});

export const cartStore = {
  get: (): Cart | null => current,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** Adds one of a product; returns true when this started a new cart in place of another shop's. */
  add(shop: { id: string; name: string }, product: Omit<CartLine, 'quantity'>): boolean {
    const replaced = current !== null && current.shopId !== shop.id;
    const base = current && !replaced ? current : { shopId: shop.id, shopName: shop.name, lines: [] };
    const existing = base.lines.find((line) => line.productId === product.productId);
    const lines = existing
      ? base.lines.map((line) => (line === existing ? { ...line, quantity: line.quantity + 1 } : line))
      : [...base.lines, { ...product, quantity: 1 }];
    set({ ...base, lines });
    return replaced;
  },
  setQuantity(productId: string, quantity: number): void {
    if (!current) return;
    set({ ...current, lines: current.lines.map((line) => (line.productId === productId ? { ...line, quantity } : line)) });
  },
  remove(productId: string): void {
    if (!current) return;
    set({ ...current, lines: current.lines.filter((line) => line.productId !== productId) });
  },
  clear(): void {
    set(null);
  },
};
