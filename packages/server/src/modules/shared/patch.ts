// Updates take "left out" (undefined: keep) and null (clear) apart; the row an update would
// leave is the stored row overlaid with the fields that were given.

/** The fields given, null included. */
export function givenFields<T extends Record<string, unknown>>(fields: T) {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/**
 * An update's input as GraphQL hands it over: any field that may be left out may also be
 * null. Whether null is allowed (it clears the field) is the zod schema's decision.
 */
export type NullableInput<T> = { [K in keyof T]: undefined extends T[K] ? T[K] | null : T[K] };
