// gcloud's kubectl dispatcher asks the server its version on every call; a
// lab of known version runs the versioned kubectl beside it directly.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatchedKubectl } from '../../src/core/kubectl-dispatcher.js';

const root = mkdtempSync(join(tmpdir(), 'hoplab-kubectl-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function program(file: string): string {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return file;
}

// A gcloud install with the dispatcher and two versions, linked from a bin directory on PATH.
const sdk = join(root, 'lib', 'google-cloud-sdk', 'bin');
program(join(sdk, 'kubectl'));
const v131 = program(join(sdk, 'kubectl.1.31'));
program(join(sdk, 'kubectl.1.33'));
mkdirSync(join(root, 'bin'));
symlinkSync(join(sdk, 'kubectl'), join(root, 'bin', 'kubectl'));
// An ordinary kubectl with a versioned file beside it that is not gcloud's.
const plain = join(root, 'plain');
program(join(plain, 'kubectl'));
program(join(plain, 'kubectl.1.31'));

describe('dispatchedKubectl', () => {
  it("runs gcloud's kubectl of the server's minor version directly", () => {
    expect(dispatchedKubectl('v1.31.0', join(root, 'bin'))).toBe(v131);
    expect(dispatchedKubectl('1.31.7-gke.100', `/nonexistent:${join(root, 'bin')}`)).toBe(v131);
  });

  it('leaves the choice to the dispatcher when that version is not installed', () => {
    expect(dispatchedKubectl('v1.29.3', join(root, 'bin'))).toBeUndefined();
  });

  it('leaves a kubectl that is not the dispatcher alone', () => {
    expect(dispatchedKubectl('v1.31.0', plain)).toBeUndefined();
    expect(dispatchedKubectl('v1.31.0', join(root, 'nowhere'))).toBeUndefined();
    expect(dispatchedKubectl('not a version', join(root, 'bin'))).toBeUndefined();
  });
});
