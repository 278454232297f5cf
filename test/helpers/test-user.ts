/**
 * The ordinary user the container tests run rootless podman as
 * (scripts/install-deps.sh creates it with subordinate ids). A module of its
 * own so that the suite's global setup can name it without loading test-file
 * helpers (podman.ts), which register vitest hooks.
 */
export const TEST_USER = 'binfmt-test';
