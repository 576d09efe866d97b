import * as fs from "node:fs";
import * as os from "node:os";
import * as vscode from "vscode";
import {
  CloseAction,
  ErrorAction,
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
  State,
} from "vscode-languageclient/node";

import { needsRestart, serverSettings } from "./config";
import { type Discovery, discoverServer } from "./discovery";
import { RestartPolicy } from "./restartPolicy";
import { stageGraphErrorHtml, stageGraphHtml } from "./stageGraphHtml";

const SECTION = "stagesmith";
const STAGE_GRAPH_COMMAND = "stagesmith.stageGraph";
const DOCUMENT_SELECTOR = [
  { scheme: "file", language: "dockerfile" },
  { scheme: "untitled", language: "dockerfile" },
];

/**
 * The base client adds its own generic pop-up for start-up failures and give-ups. The extension reports
 * those itself, once and with what to do, so the base class only logs them.
 */
class StagesmithLanguageClient extends LanguageClient {
  override error(message: string, data?: unknown, showNotification: boolean | "force" = true): void {
    super.error(message, data, showNotification === "force" ? false : showNotification);
  }
}

function isExecutableFile(candidate: string): boolean {
  try {
    if (!fs.statSync(candidate).isFile()) {
      return false;
    }
    fs.accessSync(candidate, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function currentSettings(): ReturnType<typeof serverSettings> {
  return serverSettings(vscode.workspace.getConfiguration(SECTION));
}

class ServerController implements vscode.Disposable {
  private client: StagesmithLanguageClient | undefined;
  private reachedRunning = false;
  private failureReported = false;
  private readonly restartPolicy = new RestartPolicy();
  private readonly output = vscode.window.createOutputChannel("stagesmith", { log: true });
  private readonly traceOutput = vscode.window.createOutputChannel("stagesmith (LSP trace)", { log: true });

  constructor(private readonly context: vscode.ExtensionContext) {}

  get runningClient(): LanguageClient | undefined {
    return this.client?.state === State.Running ? this.client : undefined;
  }

  async start(): Promise<void> {
    const discovery = this.discover();
    if (discovery.kind === "missing") {
      this.output.error(`${discovery.message}\nTried:\n  ${discovery.tried.join("\n  ")}`);
      this.reportFailure(discovery.message);
      return;
    }
    this.output.info(`Starting ${discovery.path} (from ${discovery.source})`);
    const client = this.createClient(discovery.path);
    this.client = client;
    this.reachedRunning = false;
    client.onDidChangeState((event) => {
      if (event.newState === State.Running) {
        this.reachedRunning = true;
      }
    });
    try {
      await client.start();
    } catch (error) {
      // Only the latest client's failure matters; an older one was replaced by a restart.
      if (this.client === client) {
        this.reportFailure(
          `The stagesmith server at ${discovery.path} failed to start: ${errorMessage(error)}. ` +
            "Check that it is a stagesmith binary for this machine, or set `stagesmith.server.path`.",
        );
      }
    }
  }

  async restart(): Promise<void> {
    this.failureReported = false;
    this.restartPolicy.reset();
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) {
      return;
    }
    try {
      if (client.state !== State.Stopped) {
        await client.stop(2000);
      }
    } catch (error) {
      this.output.warn(`Stopping the server: ${errorMessage(error)}`);
    }
    await client.dispose();
  }

  async onConfigurationChanged(event: vscode.ConfigurationChangeEvent): Promise<void> {
    if (!event.affectsConfiguration(SECTION)) {
      return;
    }
    if (needsRestart((section) => event.affectsConfiguration(section))) {
      await this.restart();
      return;
    }
    this.reportSettingProblems();
    // The client forwards the change (synchronize.configurationSection); the server answers by pulling
    // workspace/configuration, which the middleware below normalises.
  }

  reportSettingProblems(): void {
    const { problems } = currentSettings();
    if (problems.length > 0) {
      for (const problem of problems) {
        this.output.warn(problem);
      }
      void vscode.window.showWarningMessage(`stagesmith settings: ${problems.join(" ")}`);
    }
  }

  dispose(): void {
    void this.stop();
    this.output.dispose();
    this.traceOutput.dispose();
  }

  private discover(): Discovery {
    const configuredPath = vscode.workspace.getConfiguration(SECTION).get<string>("server.path");
    return discoverServer({
      configuredPath,
      extensionPath: this.context.extensionPath,
      platform: process.platform,
      arch: process.arch,
      pathEnv: process.env.PATH ?? process.env.Path,
      homeDir: os.homedir(),
      workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      isExecutableFile,
    });
  }

  private createClient(serverPath: string): StagesmithLanguageClient {
    const extraEnv = vscode.workspace.getConfiguration(SECTION).get<Record<string, string>>("server.extraEnv") ?? {};
    const serverOptions: ServerOptions = {
      command: serverPath,
      args: ["lsp"],
      options: { env: { ...process.env, ...extraEnv } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.output,
      traceOutputChannel: this.traceOutput,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: currentSettings().settings,
      synchronize: { configurationSection: SECTION },
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue, handled: true }),
        closed: () => this.onConnectionClosed(serverPath),
      },
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const answers = await next(params, token);
            if (!Array.isArray(answers)) {
              return answers;
            }
            return params.items.map((item, index) =>
              item.section === SECTION ? currentSettings().settings : answers[index],
            );
          },
        },
      },
    };
    return new StagesmithLanguageClient("stagesmith", "stagesmith", serverOptions, clientOptions);
  }

  private onConnectionClosed(serverPath: string): { action: CloseAction; handled: boolean } {
    const decision = this.restartPolicy.onClosed(Date.now(), this.reachedRunning);
    if (decision === "restart") {
      this.output.warn("The stagesmith server stopped unexpectedly; restarting it.");
      return { action: CloseAction.Restart, handled: true };
    }
    this.reportFailure(
      this.reachedRunning
        ? `The stagesmith server (${serverPath}) keeps crashing and was not restarted again. ` +
            'See the "stagesmith" output for its last messages; run "stagesmith: Restart server" to try again.'
        : `The stagesmith server at ${serverPath} exited during start-up. ` +
            "Check that it is a stagesmith binary for this machine, or set `stagesmith.server.path`.",
    );
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  /** One notification per start attempt, however many ways the same failure shows up. */
  private reportFailure(message: string): void {
    this.output.error(message);
    if (this.failureReported) {
      return;
    }
    this.failureReported = true;
    const openSettings = "Open Settings";
    const showOutput = "Show Output";
    void vscode.window.showErrorMessage(message, openSettings, showOutput).then((choice) => {
      if (choice === openSettings) {
        void vscode.commands.executeCommand("workbench.action.openSettings", "stagesmith.server.path");
      } else if (choice === showOutput) {
        this.output.show();
      }
    });
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class StageGraphPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private document: vscode.TextDocument | undefined;
  private pendingRefresh: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly server: ServerController) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document === this.document) {
          this.scheduleRefresh();
        }
      }),
    );
  }

  async show(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined || editor.document.languageId !== "dockerfile") {
      void vscode.window.showInformationMessage("Open a Dockerfile to show its stage graph.");
      return;
    }
    this.document = editor.document;
    if (this.panel === undefined) {
      this.panel = vscode.window.createWebviewPanel("stagesmith.stageGraph", "Stage graph", {
        viewColumn: vscode.ViewColumn.Beside,
        preserveFocus: true,
      });
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.document = undefined;
      });
    } else {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    await this.refresh();
  }

  dispose(): void {
    clearTimeout(this.pendingRefresh);
    this.panel?.dispose();
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
  }

  private scheduleRefresh(): void {
    clearTimeout(this.pendingRefresh);
    this.pendingRefresh = setTimeout(() => void this.refresh(), 300);
  }

  private async refresh(): Promise<void> {
    const panel = this.panel;
    const document = this.document;
    if (panel === undefined || document === undefined) {
      return;
    }
    const title = vscode.workspace.asRelativePath(document.uri);
    panel.title = `Stage graph: ${title}`;
    const client = this.server.runningClient;
    if (client === undefined) {
      panel.webview.html = stageGraphErrorHtml('The stagesmith server is not running. Run "stagesmith: Restart server".');
      return;
    }
    try {
      const svg: unknown = await client.sendRequest(ExecuteCommandRequest.type, {
        command: STAGE_GRAPH_COMMAND,
        arguments: [{ uri: document.uri.toString(), format: "svg" }],
      });
      panel.webview.html =
        typeof svg === "string"
          ? stageGraphHtml(svg, title)
          : stageGraphErrorHtml("The server returned no stage graph for this file.");
    } catch (error) {
      panel.webview.html = stageGraphErrorHtml(`The stage graph could not be computed: ${errorMessage(error)}`);
    }
  }
}

let controller: ServerController | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const server = new ServerController(context);
  controller = server;
  const stageGraph = new StageGraphPanel(server);
  context.subscriptions.push(
    server,
    stageGraph,
    vscode.commands.registerCommand("stagesmith.restartServer", () => server.restart()),
    vscode.commands.registerCommand("stagesmith.showStageGraph", () => stageGraph.show()),
    vscode.workspace.onDidChangeConfiguration((event) => server.onConfigurationChanged(event)),
  );
  server.reportSettingProblems();
  await server.start();
}

export async function deactivate(): Promise<void> {
  await controller?.stop();
  controller = undefined;
}
