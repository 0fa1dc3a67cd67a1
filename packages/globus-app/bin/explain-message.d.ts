/** How a shortened message starts: `[globus-app <code>]`. */
export const MESSAGE_PREFIX: string;
/** What separates a shortened message's values. */
export const VALUE_SEPARATOR: string;
/** The full text of a shortened message, or the message itself when it cannot be read back. */
export function explainMessage(message: string, catalogue: Readonly<Record<string, string>>): string;
/** The catalogues of the installed @globus-app/core, browser and services, merged. */
export function installedCatalogue(): Record<string, string>;
