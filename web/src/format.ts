const money = new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' });
const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

export const formatPrice = (cents: number): string => money.format(cents / 100);
export const formatTime = (iso: string): string => time.format(new Date(iso));
export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));
export const shortId = (id: string): string => id.slice(0, 8);

const paymentWords: Record<string, string> = {
  PENDING: 'Awaiting authorization',
  AUTHORIZED: 'Authorized (not yet charged)',
  CAPTURED: 'Paid',
  DECLINED: 'Declined',
  VOIDED: 'Cancelled, nothing charged',
  REFUNDED: 'Refunded',
};
export const paymentWord = (status: string): string => paymentWords[status] ?? status;

const shipmentWords: Record<string, string> = {
  WAITING_FOR_COURIER: 'Waiting for a courier',
  ASSIGNED: 'Courier on the way to the shop',
  PICKED_UP: 'On its way to you',
  DELIVERED: 'Delivered',
  CANCELLED: 'Cancelled',
};
export const shipmentWord = (status: string): string => shipmentWords[status] ?? status;
