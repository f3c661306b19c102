// Size limits checked before anything is allocated.

/**
 * Size limits checked before anything is allocated, so that a hostile spec or input fails early.
 */
export interface Limits {
  /** Most parameters (weight elements) a spec may declare. */
  maxParameters: number;
  /** Most elements one activation may hold once dims are bound. */
  maxActivationElements: number;
  /** Most elements a decoder's state (key/value caches, h and c) may hold at its maxLength. */
  maxStateElements: number;
}

/** The limits used where none are given: 2^28 elements each (1 GiB of float32). */
export const defaultLimits: Limits = {
  maxParameters: 2 ** 28,
  maxActivationElements: 2 ** 28,
  maxStateElements: 2 ** 28,
};

/** The limits with every field left out of `partial` taken from defaultLimits. */
export function resolveLimits(partial?: Partial<Limits>): Limits {
  return { ...defaultLimits, ...partial };
}
