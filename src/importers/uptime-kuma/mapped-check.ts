import type { CheckType } from '../../checks/types.ts';

/** A Kuma monitor's check as Crosscheck's type, target and options. */
export interface MappedCheck {
  type: CheckType;
  target: string;
  options: Record<string, unknown>;
  warnings?: string[];
}

/** Why a monitor of a mapped type still cannot come over (e.g. NTLM auth). */
export interface Refusal {
  refused: string;
}
