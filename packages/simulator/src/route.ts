/** A courier's path: straight-line steps from the shop to the customer, good enough for a demo map. */
export interface Point {
  lat: number;
  lng: number;
}

export function route(from: Point, to: Point, steps: number): Point[] {
  return Array.from({ length: steps }, (_, i) => {
    const t = (i + 1) / steps;
    return { lat: from.lat + (to.lat - from.lat) * t, lng: from.lng + (to.lng - from.lng) * t };
  });
}
