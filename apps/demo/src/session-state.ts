/** A panel's state kept in this tab's sessionStorage under one key (see {@link sessionState}). */
export interface SessionState<T extends object> {
  /** What was saved; `{}` when nothing was, or the entry cannot be read (it only costs the view). */
  load(): Partial<T>;
  /** Merges `update` into what was saved. */
  save(update: Partial<T>): void;
  /** Forgets it all (sign-out: the next person sees none of it). */
  clear(): void;
}

/**
 * What a panel showed, kept for this tab under `key`, so that a redirect login (which reloads the
 * page) comes back to it.
 */
export function sessionState<T extends object>(key: string): SessionState<T> {
  const load = (): Partial<T> => {
    try {
      const raw = sessionStorage.getItem(key);
      return raw ? (JSON.parse(raw) as Partial<T>) : {};
    } catch {
      return {}; // a corrupt entry only costs the restored view
    }
  };
  return {
    load,
    save: (update) => sessionStorage.setItem(key, JSON.stringify({ ...load(), ...update })),
    clear: () => sessionStorage.removeItem(key),
  };
}
