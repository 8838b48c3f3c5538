// Development default (vite dev): the app finds the gateway beside the page's host.
// Production servers answer this path themselves (scripts/web-server.ts).
window.__APP_CONFIG__ = window.__APP_CONFIG__ || {};
