// node --test out/find.test.js (run by package.sh): the order in which gwlint is found.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { findGwlint, Where } from './find';

function where(files: string[], over: Partial<Where> = {}): Where {
  return {
    setting: '',
    pythonEnvironments: [],
    pythonExecutables: [],
    pathVariable: '/usr/local/bin:/usr/bin',
    extensionFolder: '/ext',
    workspaceFolder: '/home/ann/project',
    platform: 'linux',
    isFile: (p) => files.includes(p),
    ...over,
  };
}

test('the setting wins, relative to the workspace when it has a slash', () => {
  assert.deepEqual(findGwlint(where(['/usr/bin/gwlint'], { setting: '/opt/gwlint' })), {
    command: '/opt/gwlint',
    source: '设置 gwlint.path',
  });
  assert.equal(findGwlint(where([], { setting: 'tools/gwlint' }))?.command, '/home/ann/project/tools/gwlint');
  // the default value means "not set"
  assert.equal(findGwlint(where(['/usr/bin/gwlint'], { setting: 'gwlint' }))?.source, 'PATH');
});

test('the Python environment comes before PATH', () => {
  const files = ['/venv/bin/gwlint', '/usr/bin/gwlint', '/ext/bin/gwlint'];
  assert.deepEqual(findGwlint(where(files, { pythonExecutables: ['/venv/bin/python'] })), {
    command: '/venv/bin/gwlint',
    source: 'Python 环境',
  });
  assert.equal(
    findGwlint(where(files, { pythonEnvironments: ['/venv'] }))?.command,
    '/venv/bin/gwlint',
  );
  // an environment without gwlint is passed over
  assert.equal(
    findGwlint(where(['/usr/bin/gwlint'], { pythonExecutables: ['/other/bin/python'] }))?.source,
    'PATH',
  );
});

test('the bundled binary is the last resort; nothing found is undefined', () => {
  assert.deepEqual(findGwlint(where(['/ext/bin/gwlint'])), {
    command: '/ext/bin/gwlint',
    source: '扩展自带',
  });
  assert.equal(findGwlint(where([])), undefined);
});

test('Windows: Scripts folder, .exe, semicolons', () => {
  const w = where(['C:\\py\\Scripts\\gwlint.exe'], {
    platform: 'win32',
    pathVariable: 'C:\\bin;C:\\tools',
    pythonEnvironments: ['C:\\py'],
    extensionFolder: 'C:\\ext',
  });
  assert.equal(findGwlint(w)?.command, 'C:\\py\\Scripts\\gwlint.exe');
});
