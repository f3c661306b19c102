// Size limits checked before anything is allocated.

export interface Limits {
  /** Most parameters (weight elements) a spec may declare. */
  maxParameters: number;
  /** Most elements one activation may hold once dims are bound. */
  maxActivationElements: number;
  /** Most elements a decoder's state (key/value caches, h and c) may hold at its maxLength. */
  maxStateElements: number;
}

export const defaultLimits: Limits = {
  maxParameters: 2 ** 28,
  maxActivationElements: 2 ** 28,
  maxStateElements: 2 ** 28,
};

export function resolveLimits(partial?: Partial<Limits>): Limits {
  return { ...defaultLimits, ...partial };
}
