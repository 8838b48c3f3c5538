import { badInput } from '@commerce/service-kit';

/** A label is a short name ("Home"); a line is as long as orders accepts for a delivery address. */
export const addressLimits = { label: 50, line: 500 } as const;

export interface AddressInput {
  label: string;
  line: string;
}

/** Trims both parts and requires each to be non-blank and within its limit, before anything is written. */
export function validAddress(input: AddressInput): AddressInput {
  const label = input.label.trim();
  const line = input.line.trim();
  if (label.length === 0 || label.length > addressLimits.label) throw badInput('input.label', `A label has 1 to ${addressLimits.label} characters`);
  if (line.length === 0 || line.length > addressLimits.line) throw badInput('input.line', `An address line has 1 to ${addressLimits.line} characters`);
  return { label, line };
}
