import * as assert from "node:assert/strict";
import { describe, it } from "node:test";

import { escapeHtml, stageGraphErrorHtml, stageGraphHtml } from "../src/stageGraphHtml";

describe("stageGraphHtml", () => {
  it("embeds the SVG as a data URI under a CSP that allows no script", () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><text>build</text></svg>';
    const html = stageGraphHtml(svg, "app/Dockerfile");
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; img-src data:;/);
    assert.ok(html.includes(`data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`));
    assert.ok(!html.includes("<script>"));
  });

  it("escapes the title and error messages", () => {
    assert.ok(stageGraphHtml("<svg/>", "<b>&").includes("&lt;b&gt;&amp;"));
    assert.ok(stageGraphErrorHtml('"x" <y>').includes("&quot;x&quot; &lt;y&gt;"));
    assert.equal(escapeHtml("it's"), "it&#39;s");
  });
});
