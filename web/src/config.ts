/**
 * Where the gateway is. The server that serves the built app writes
 * `window.__APP_CONFIG__` in /app-config.js, so one build runs anywhere; without
 * it the gateway is assumed on port 4000 of the page's own host.
 */
interface AppConfig {
  graphqlUrl?: string;
  /** A map tile URL template ({z}/{x}/{y}); unset, the order page draws a plain plot. */
  tileUrl?: string;
}

declare global {
  interface Window {
    __APP_CONFIG__?: AppConfig;
  }
}

const given = window.__APP_CONFIG__ ?? {};

export const graphqlUrl = given.graphqlUrl ?? `${location.protocol}//${location.hostname}:4000/graphql`;
export const websocketUrl = graphqlUrl.replace(/^http/, 'ws');
export const tileUrl = given.tileUrl;

/** The name the gateway knows this app by (gateway/clients/clients.json). */
export const clientName = 'web';
export const clientVersion = '1.0.0';

/**
 * The app sends persisted document ids only, so the gateway can hold the `web`
 * client to its list (SAFELIST). VITE_SEND_DOCUMENTS=true sends the text
 * instead, for a gateway whose `web` client is in LOG or ALLOW mode.
 */
export const sendDocumentIds = import.meta.env.VITE_SEND_DOCUMENTS !== 'true';
