import { useSyncExternalStore } from 'react';
import { cartStore, type Cart } from './cart-store';

export function useCart(): Cart | null {
  return useSyncExternalStore(cartStore.subscribe, cartStore.get);
}
