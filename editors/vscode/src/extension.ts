import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { findGwlint, Found } from './find';
import {
  DidChangeConfigurationNotification,
  Executable,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
} from 'vscode-languageclient/node';

const SECTION = 'gwlint';
/** Settings forwarded to the server (see initOptions). */
const OPTION_KEYS = ['select', 'ignore', 'rules', 'extraRuleFolders'];
let client: LanguageClient | undefined;
let output: vscode.OutputChannel;

/** Resolves a relative path (one containing a separator) against the first workspace folder
 * (for `gwlint.extraRuleFolders`). */
function resolvePath(p: string): string {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (root && !path.isAbsolute(p) && /[\\/]/.test(p)) {
    return path.join(root, p);
  }
  return p;
}

/** The options sent as initializationOptions and in workspace/didChangeConfiguration. */
function initOptions() {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  return {
    select: cfg.get<string[]>('select', []),
    ignore: cfg.get<string[]>('ignore', []),
    rules: cfg.get<Record<string, { severity?: string }>>('rules', {}),
    extraRuleFolders: cfg.get<string[]>('extraRuleFolders', []).map(resolvePath),
  };
}

let extensionFolder = '';

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Python executables of the environment the Python extension has selected, if any. */
async function pythonExecutables(): Promise<string[]> {
  const ext = vscode.extensions.getExtension('ms-python.python');
  if (!ext) {
    return [];
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const api: any = ext.isActive ? ext.exports : await ext.activate();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const active = api?.environments?.getActiveEnvironmentPath?.(folder);
    const env = active ? await api.environments.resolveEnvironment(active) : undefined;
    const exe: string | undefined = env?.executable?.uri?.fsPath ?? active?.path;
    return exe ? [exe] : [];
  } catch (err) {
    output.appendLine(`读取 Python 环境失败：${err}`);
    return [];
  }
}

/** The Python environments named without the Python extension: VIRTUAL_ENV, .venv, venv. */
function pythonEnvironments(): string[] {
  const list: string[] = [];
  if (process.env.VIRTUAL_ENV) {
    list.push(process.env.VIRTUAL_ENV);
  }
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    list.push(path.join(folder.uri.fsPath, '.venv'), path.join(folder.uri.fsPath, 'venv'));
  }
  return list;
}

async function locate(): Promise<Found | undefined> {
  return findGwlint({
    setting: vscode.workspace.getConfiguration(SECTION).get<string>('path', '') ?? '',
    pythonExecutables: await pythonExecutables(),
    pythonEnvironments: pythonEnvironments(),
    pathVariable: process.env.PATH ?? '',
    extensionFolder,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    platform: process.platform,
    isFile,
  });
}

/** Plain text and Markdown, everywhere or only under the folders of `gwlint.folders`. */
function documentSelector() {
  const languages = ['plaintext', 'markdown'];
  const folders = vscode.workspace
    .getConfiguration(SECTION)
    .get<string[]>('folders', [])
    .map((f) => f.trim())
    .filter((f) => f.length > 0);
  if (folders.length === 0) {
    return ['file', 'untitled'].flatMap((scheme) => languages.map((language) => ({ scheme, language })));
  }
  const roots = (vscode.workspace.workspaceFolders ?? []).map((w) => w.uri.fsPath);
  const patterns = folders.flatMap((f) => {
    const glob = f.replace(/\\/g, '/').replace(/\/+$/, '') + '/**';
    return path.isAbsolute(f) || roots.length === 0
      ? [glob]
      : roots.map((r) => r.replace(/\\/g, '/') + '/' + glob);
  });
  return patterns.flatMap((pattern) =>
    languages.map((language) => ({ scheme: 'file', language, pattern })),
  );
}

/** An error with shortcuts to the `gwlint.path` setting and the output channel. Not
 * awaited by callers: activation must not wait for the user to dismiss it. */
function showError(message: string): void {
  void vscode.window.showErrorMessage(message, '打开设置', '查看输出').then((choice) => {
    if (choice === '打开设置') {
      void vscode.commands.executeCommand('workbench.action.openSettings', 'gwlint.path');
    } else if (choice === '查看输出') {
      output.show();
    }
  });
}

function notFound(): void {
  output.appendLine('没有找到 gwlint：设置 gwlint.path、Python 环境、PATH 和扩展自带的程序都没有。');
  showError(
    'gwlint：没有找到 gwlint 程序。请用 pip 安装 gwlint 的 wheel 文件（或 cargo install），' +
      '或在设置「gwlint.path」中填写它的完整路径，然后重启语言服务器。',
  );
}

async function startClient(): Promise<void> {
  const found = await locate();
  if (!found) {
    return notFound();
  }
  const command = found.command;
  if (found.source === '扩展自带') {
    // a .vsix may be unpacked without the executable bit
    try {
      fs.chmodSync(command, 0o755);
    } catch {
      // read-only install: try as it is
    }
  }
  output.appendLine(`使用 ${command}（来自${found.source}）`);
  const run: Executable = { command, args: ['server'] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    initializationOptions: initOptions(),
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
  // The id 'gwlint' makes the client honour the `gwlint.trace.server` setting.
  const c = new LanguageClient(SECTION, 'gwlint', { run, debug: run }, clientOptions);
  client = c;
  try {
    await c.start();
  } catch (err) {
    client = undefined;
    const reason = err instanceof Error ? err.message : String(err);
    output.appendLine(`无法启动「${command} server」：${reason}`);
    showError(
      `gwlint：无法用「${command} server」启动语言服务器（${reason}）。` +
        '请确认 gwlint 已安装，或在设置「gwlint.path」中填写它的完整路径。',
    );
  }
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c?.isRunning()) {
    await c.stop().catch((err) => output.appendLine(`停止语言服务器失败：${err}`));
  }
}

// Start/stop/restart are chained so that a restart never races a start in progress.
let queue: Promise<void> = Promise.resolve();
function enqueue(op: () => Promise<void>): Promise<void> {
  queue = queue.then(op, op);
  return queue;
}
const restartClient = () =>
  enqueue(async () => {
    await stopClient();
    await startClient();
  });

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionFolder = context.extensionPath;
  output = vscode.window.createOutputChannel('gwlint');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('gwlint.restart', restartClient),
    vscode.commands.registerCommand('gwlint.showOutput', () => output.show()),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration(`${SECTION}.path`) || e.affectsConfiguration(`${SECTION}.folders`)) {
        await restartClient();
      } else if (OPTION_KEYS.some((k) => e.affectsConfiguration(`${SECTION}.${k}`)) && client?.isRunning()) {
        await client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: initOptions(),
        });
      }
    }),
  );
  await enqueue(startClient);
}

export function deactivate(): Promise<void> {
  return enqueue(stopClient);
}
