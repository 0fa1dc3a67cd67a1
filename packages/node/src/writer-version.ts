/**
 * What this package writes as `globus-sdk.version` in token files and databases it creates.
 *
 * The Python SDK records its own version there and never reads it back to decide anything, so the
 * value only tells a human which tool last wrote the file. The `+globus-app-js` local label keeps it
 * a valid version string for both PEP 440 and semver tools while saying it was not the Python SDK.
 * A test keeps the number in step with package.json.
 */
export const WRITER_VERSION = "0.1.0+globus-app-js";
