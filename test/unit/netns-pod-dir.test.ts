// Which mounts belong to a lab's state directory: what `down` unmounts.
import { describe, expect, it } from 'vitest';
import { mountsUnder, podTmpfsName } from '../../src/providers/netns/pod-dir.js';

const info = [
  '22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw',
  '301 22 0:51 / /run/hoplab/a/pods rw,relatime shared:170 - tmpfs hoplab-a-pods rw',
  '302 22 0:52 / /run/hoplab/ab/pods rw,relatime shared:171 - tmpfs hoplab-ab-pods rw',
  '303 301 0:53 / /run/hoplab/a/pods/x/vol rw,relatime - tmpfs t rw',
  '304 22 0:54 / /run/hoplab/a\\040b/pods rw - tmpfs hoplab-a\\040b-pods rw',
].join('\n');

describe('the pods tmpfs', () => {
  it('finds the mounts at or below a lab\'s directory, deepest first, and not another lab\'s whose name starts alike', () => {
    expect(mountsUnder(info, '/run/hoplab/a')).toEqual(['/run/hoplab/a/pods/x/vol', '/run/hoplab/a/pods']);
    expect(mountsUnder(info, '/run/hoplab/a/pods')).toEqual(['/run/hoplab/a/pods/x/vol', '/run/hoplab/a/pods']);
    expect(mountsUnder(info, '/run/hoplab/c')).toEqual([]);
  });
  it('reads mountinfo\'s octal escapes', () => {
    expect(mountsUnder(info, '/run/hoplab/a b')).toEqual(['/run/hoplab/a b/pods']);
  });
  it('names the tmpfs after its lab', () => {
    expect(podTmpfsName('demo')).toBe('hoplab-demo-pods');
  });
});
