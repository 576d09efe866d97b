// The stage-graph webview page. The SVG is shown through an <img> data URI so that nothing inside it can
// run script, and the page's CSP allows no script at all.

export function stageGraphHtml(svg: string, title: string): string {
  const dataUri = `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline';">
<title>${escapeHtml(title)}</title>
<style>
  body { margin: 0; padding: 12px; background: var(--vscode-editor-background); color: var(--vscode-editor-foreground); }
  h1 { font-size: 1em; font-weight: normal; opacity: 0.8; }
  .graph { background: #fff; border-radius: 4px; padding: 8px; display: inline-block; max-width: 100%; }
  .graph img { max-width: 100%; height: auto; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<div class="graph"><img alt="stage graph of ${escapeHtml(title)}" src="${dataUri}"></div>
</body>
</html>`;
}

export function stageGraphErrorHtml(message: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">
</head>
<body><p>${escapeHtml(message)}</p></body>
</html>`;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}
