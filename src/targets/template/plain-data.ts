/** Shapes of the plain data a YAML or JSON template parses into. */

export type Props = Record<string, unknown>;

/** A mapping: not a list, and not a timestamp, which YAML 1.1 parses into a Date. */
export const isMap = (value: unknown): value is Props => value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
