/**
 * Where the gwlint executable is, in this order: the `gwlint.path` setting; the Python
 * environment's `gwlint` (the wheel installs it there: the Python extension's active
 * environment, `VIRTUAL_ENV`, a `.venv` in the workspace); `PATH`; the binary bundled in
 * a platform-specific .vsix. Pure (no `vscode` import) so that `node --test` checks it.
 */
import * as path from 'path';

export type Source = '设置 gwlint.path' | 'Python 环境' | 'PATH' | '扩展自带';

export interface Found {
  command: string;
  source: Source;
}

export interface Where {
  /** The `gwlint.path` setting, as written ('' or 'gwlint' = not set). */
  setting: string;
  /** Folders of Python environments, most specific first (each holds bin/ or Scripts/). */
  pythonEnvironments: string[];
  /** Python executables of environments (their folder holds gwlint next to python). */
  pythonExecutables: string[];
  /** The PATH environment variable. */
  pathVariable: string;
  /** The extension's own folder (a platform .vsix has bin/gwlint in it). */
  extensionFolder: string;
  /** The first workspace folder, for a relative `gwlint.path`. */
  workspaceFolder?: string;
  platform: NodeJS.Platform;
  isFile: (p: string) => boolean;
}

export function executableName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'gwlint.exe' : 'gwlint';
}

/** The candidates in the order they are tried. */
export function candidates(w: Where): Found[] {
  const exe = executableName(w.platform);
  const join = w.platform === 'win32' ? path.win32.join : path.posix.join;
  const list: Found[] = [];
  const setting = w.setting.trim();
  if (setting && setting !== 'gwlint') {
    const relative = !path.isAbsolute(setting) && /[\\/]/.test(setting);
    const command = relative && w.workspaceFolder ? join(w.workspaceFolder, setting) : setting;
    list.push({ command, source: '设置 gwlint.path' });
    return list;
  }
  for (const python of w.pythonExecutables) {
    list.push({ command: join(path.dirname(python), exe), source: 'Python 环境' });
  }
  for (const env of w.pythonEnvironments) {
    const bin = w.platform === 'win32' ? 'Scripts' : 'bin';
    list.push({ command: join(env, bin, exe), source: 'Python 环境' });
  }
  const separator = w.platform === 'win32' ? ';' : ':';
  for (const dir of w.pathVariable.split(separator).filter((d) => d.length > 0)) {
    list.push({ command: join(dir, exe), source: 'PATH' });
  }
  list.push({ command: join(w.extensionFolder, 'bin', exe), source: '扩展自带' });
  return list;
}

/** The first candidate that exists; a `gwlint.path` setting is taken as it is. */
export function findGwlint(w: Where): Found | undefined {
  const list = candidates(w);
  if (list.length === 1 && list[0].source === '设置 gwlint.path') {
    return list[0];
  }
  return list.find((c) => w.isFile(c.command));
}
