/**
 * Hands an error from user code (a listener) to the host's error reporting without throwing into
 * our caller: `reportError` where it exists (browsers, Deno), else an uncaught error in a new task.
 */
export function reportError(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (typeof report === "function") report(error);
  else
    setTimeout(() => {
      throw error;
    });
}
