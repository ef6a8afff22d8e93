import * as path from 'path';
import * as vscode from 'vscode';
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

/** Resolves a relative path (one containing a separator) against the first workspace folder. */
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

async function startClient(): Promise<void> {
  const command = resolvePath(vscode.workspace.getConfiguration(SECTION).get<string>('path', 'gwlint') || 'gwlint');
  const run: Executable = { command, args: ['server'] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: ['file', 'untitled'].flatMap((scheme) =>
      ['plaintext', 'markdown'].map((language) => ({ scheme, language })),
    ),
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
    output.appendLine(`Failed to start "${command} server": ${reason}`);
    // Not awaited: activation must not wait for the user to dismiss the notification.
    void vscode.window
      .showErrorMessage(
        `gwlint: could not start the language server with "${command} server" (${reason}). ` +
          'Install gwlint and make sure it is on your PATH, or set "gwlint.path" to the full path of the executable.',
        'Open Settings',
        'Show Output',
      )
      .then((choice) => {
        if (choice === 'Open Settings') {
          void vscode.commands.executeCommand('workbench.action.openSettings', 'gwlint.path');
        } else if (choice === 'Show Output') {
          output.show();
        }
      });
  }
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c?.isRunning()) {
    await c.stop().catch((err) => output.appendLine(`Failed to stop the server: ${err}`));
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
  output = vscode.window.createOutputChannel('gwlint');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('gwlint.restart', restartClient),
    vscode.commands.registerCommand('gwlint.showOutput', () => output.show()),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration(`${SECTION}.path`)) {
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
