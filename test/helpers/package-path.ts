import {fileURLToPath} from 'node:url';

/**
 * Where the test run installs the packed tarball (test/global-setup.ts): its package folder,
 * as `npm install socket-tui` lays it out. Ignored by git.
 */
export const packageDirectory = fileURLToPath(new URL('../../.test-package/node_modules/socket-tui', import.meta.url));
