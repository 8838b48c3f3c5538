import { tileUrl } from '../config';

export interface Point {
  lat: number;
  lng: number;
}

const size = { width: 320, height: 200, pad: 16 };

/**
 * The courier's track as a plain plot: the positions reported so far, the
 * latest one marked. It needs no map tiles, so it works offline; when a tile
 * source is configured (window.__APP_CONFIG__.tileUrl) a link opens the spot on it.
 */
export function PositionPlot({ track }: { track: readonly Point[] }) {
  if (track.length === 0) return <p>The courier's position will show here once they are on their way.</p>;
  const lats = track.map((p) => p.lat);
  const lngs = track.map((p) => p.lng);
  // Around the middle of the track, at least a few hundred metres wide, so one point sits in the centre.
  const spanLat = Math.max(Math.max(...lats) - Math.min(...lats), 0.005);
  const spanLng = Math.max(Math.max(...lngs) - Math.min(...lngs), 0.005);
  const minLat = (Math.max(...lats) + Math.min(...lats)) / 2 - spanLat / 2;
  const minLng = (Math.max(...lngs) + Math.min(...lngs)) / 2 - spanLng / 2;
  const x = (p: Point) => size.pad + ((p.lng - minLng) / spanLng) * (size.width - 2 * size.pad);
  const y = (p: Point) => size.height - size.pad - ((p.lat - minLat) / spanLat) * (size.height - 2 * size.pad);
  const latest = track[track.length - 1]!;
  const description = `Courier's last reported position: latitude ${latest.lat.toFixed(4)}, longitude ${latest.lng.toFixed(4)}; ${track.length} position${track.length === 1 ? '' : 's'} reported.`;
  return (
    <figure className="plot">
      <svg viewBox={`0 0 ${size.width} ${size.height}`} role="img" aria-label={description}>
        <rect x="0" y="0" width={size.width} height={size.height} className="plot-bg" />
        <polyline points={track.map((p) => `${x(p)},${y(p)}`).join(' ')} className="plot-track" />
        {track.map((p, i) => (
          <circle key={i} cx={x(p)} cy={y(p)} r={3} className="plot-point" />
        ))}
        <circle cx={x(latest)} cy={y(latest)} r={7} className="plot-latest" />
      </svg>
      <figcaption>
        {description}
        {tileUrl ? (
          <>
            {' '}
            <a href={tileUrl.replace('{lat}', String(latest.lat)).replace('{lng}', String(latest.lng))}>Open on a map</a>
          </>
        ) : null}
      </figcaption>
    </figure>
  );
}
