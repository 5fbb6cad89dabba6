import { removeTestBuilds } from './built-app';

/**
 * Jest's global teardown: the apps built for the tests (dist/api-for-tests-*, dist/cli-for-tests-*)
 * are removed once every test file has run, so that a test run leaves no build behind.
 */
export default function teardown(): void {
  removeTestBuilds({ ownToo: true });
}
