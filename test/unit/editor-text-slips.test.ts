// The editor's text slips, each on its exact string: the status bar's "2 image(s)", the tree's
// "part(s)", the panel's "recorded. ()" after a note about no field, and the failure notice that
// said its first sentence twice ("…ECONNREFUSED.. GET …", "…registry. manifest rancher/…").
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { panelProvenance } from '../../src/panel/model-provenance';
import type { ProvenanceReport } from '../../src/provenance/collect';
import type { ReleaseProgress } from '../../src/releases/verdict';
import { failureNotice } from '../../src/views/failure-words';
import { releaseStatusTooltip } from '../../src/views/verdict-text';

describe('editor text slips', () => {
  test('the status bar counts images in words: "2 images", "1 image"', () => {
    const s: ReleaseProgress = { images: 2, idle: 0, loading: 0, verifying: 0, failed: 1, unresolved: 0, counts: { failed: 1 } };
    assert.equal(releaseStatusTooltip('fleet v0.13.0', s), 'fleet v0.13.0: 2 images\n- 1 verification failed\n- 1 could not be read');
    assert.equal(releaseStatusTooltip('fleet v0.13.0', { ...s, images: 1, failed: 0 }), 'fleet v0.13.0: 1 image\n- 1 verification failed');
  });

  test('a provenance note about no field has no empty parentheses; one about a field names it', () => {
    const report = {
      reference: 'r/app:v1',
      digest: 'sha256:0',
      mediaType: 'application/vnd.oci.image.index.v1+json',
      kind: 'index',
      problems: [],
      platforms: [
        {
          platform: 'linux/amd64',
          digest: 'sha256:1',
          provenance: [
            {
              format: 'buildkit-index',
              coversDigest: 'sha256:1',
              attachedTo: 'platform',
              artifactDigest: 'sha256:2',
              verified: false,
              warnings: [],
              summary: {
                slsaVersion: '1',
                builder: {},
                materials: [],
                materialsTruncated: 0,
                notes: [
                  { code: 'NO_SOURCE', field: '', message: 'No source repository or commit is recorded.' },
                  { code: 'WRONG_TYPE', field: 'runDetails.metadata.startedOn', message: 'startedOn is not a string.' },
                ],
              },
            },
          ],
        },
      ],
    } as unknown as ProvenanceReport;
    assert.deepEqual(panelProvenance(report, undefined)[0]!.notes, [
      'No source repository or commit is recorded.',
      'startedOn is not a string. (runDetails.metadata.startedOn)',
    ]);
  });

  test('a failed lookup: the message once, after what to do when the code says it', () => {
    const refused = { code: 'NETWORK', message: 'GET http://127.0.0.1:1/v2/ failed: ECONNREFUSED. Check that the registry is reachable.' };
    assert.equal(
      failureNotice('127.0.0.1:1/app:v1', refused),
      '127.0.0.1:1/app:v1: GET http://127.0.0.1:1/v2/ failed: ECONNREFUSED. Check that the registry is reachable.',
    );
    const unknown = { code: 'MANIFEST_UNKNOWN', message: 'manifest rancher/fleet:v9 was not found on 127.0.0.1:5000.', registry: '127.0.0.1:5000' };
    assert.equal(
      failureNotice('127.0.0.1:5000/rancher/fleet:v9', unknown),
      '127.0.0.1:5000/rancher/fleet:v9: Not found in the registry. Manifest rancher/fleet:v9 was not found on 127.0.0.1:5000.',
    );
    const locked = { code: 'UNAUTHORIZED', message: 'The registry 127.0.0.1:5000 asks for credentials.', registry: '127.0.0.1:5000' };
    assert.equal(
      failureNotice('127.0.0.1:5000/team/private:v1', locked),
      '127.0.0.1:5000/team/private:v1: Sign in to 127.0.0.1:5000. The registry 127.0.0.1:5000 asks for credentials.',
    );
  });
});
