import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Scratch output of tests; git-ignored. Each test file uses its own sub-folder. */
export const OUT = path.join(ROOT, 'test', '.out');
export const SNAPSHOTS = path.join(ROOT, 'test', '__snapshots__');

export const SEED_SPECS = [
  ['user-sessions', 'specs/user-sessions.asyncapi.json'],
  ['iam-client-events', 'specs/iam-client-events.asyncapi.yaml'],
] as const;

export const FIXTURES_DIR = path.join(ROOT, 'test', 'fixtures', 'valid');
export const PUBLIC_DIR = path.join(ROOT, 'test', 'fixtures', 'public');
