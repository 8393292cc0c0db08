import { execFileSync } from 'node:child_process';

/** The killed-invocation part runs the built CLI, so dist/ must match the sources under test. */
export default function setup() {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore' });
}
