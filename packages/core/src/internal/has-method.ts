/**
 * Whether `value` is an object (or function) with a method `name`: how instances and providers are
 * told apart.
 */
export function hasMethod(value: unknown, name: string): boolean {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as Record<string, unknown>)[name] === "function"
  );
}
