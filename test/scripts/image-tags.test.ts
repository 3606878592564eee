import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { imageRef, shaTag as buildShaTag } from '../../scripts/lib/build-plan';
import { isMovingTag, MOVING_TAG_FILTERS, readHeadCommit, shaTag } from '../../scripts/lib/image-tags';

const ROOT = path.resolve(__dirname, '..', '..');

describe('image tags', () => {
  it('tags an image with the first 12 hex digits of its commit, the same for build-and-push and the deploy', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    expect(shaTag(sha)).toBe('0123456789ab');
    expect(buildShaTag).toBe(shaTag);
    expect(
      imageRef({ account: '1', region: 'r', repositoryName: 'n', repositoryUri: 'host/repo', sha })
    ).toBe('host/repo:0123456789ab');
  });

  it('knows which tags the repository lets move: latest and latest-*, nothing else', () => {
    expect(MOVING_TAG_FILTERS).toEqual(['latest', 'latest-*']);
    expect(['latest', 'latest-', 'latest-staging', 'latest-a.b'].filter(isMovingTag)).toHaveLength(4);
    expect(['0123456789ab', 'v1.2.3', 'latestx', 'Latest', 'my-latest', 'stable'].some(isMovingTag)).toBe(
      false
    );
  });

  it('reads the checked-out commit with git, and says why when it cannot', () => {
    expect(readHeadCommit(ROOT)).toMatch(/^[0-9a-f]{40}$/);
    const outside = mkdtempSync(path.join(tmpdir(), 'no-git-'));
    try {
      expect(() => readHeadCommit(outside)).toThrow(
        /^git rev-parse HEAD failed: fatal: not a git repository/
      );
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
