import { useSyncExternalStore } from 'react';
import { connectionStatus } from '../apollo/connection-status';

/** Says when the network is gone; disappears by itself once the live connection is back. */
export function OfflineBanner() {
  const state = useSyncExternalStore(connectionStatus.subscribe, connectionStatus.get);
  if (state === 'online') return null;
  return (
    <div className="banner" role="alert">
      {state === 'offline'
        ? 'You are offline. What you see may be out of date; we will reconnect as soon as the network is back.'
        : 'The live connection was lost. Reconnecting…'}
    </div>
  );
}
