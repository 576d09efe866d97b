import * as assert from "node:assert/strict";
import { describe, it } from "node:test";

import { RestartPolicy } from "../src/restartPolicy";

describe("RestartPolicy", () => {
  it("never restarts a server that did not finish starting", () => {
    assert.equal(new RestartPolicy().onClosed(0, false), "give-up");
  });

  it("restarts a crashed server up to the limit within the window, then gives up", () => {
    const policy = new RestartPolicy(3, 1000);
    assert.deepEqual([0, 10, 20].map((t) => policy.onClosed(t, true)), ["restart", "restart", "restart"]);
    assert.equal(policy.onClosed(30, true), "give-up");
  });

  it("forgets crashes older than the window", () => {
    const policy = new RestartPolicy(1, 1000);
    assert.equal(policy.onClosed(0, true), "restart");
    assert.equal(policy.onClosed(1500, true), "restart");
    assert.equal(policy.onClosed(1600, true), "give-up");
  });

  it("starts over after a reset", () => {
    const policy = new RestartPolicy(1, 1000);
    policy.onClosed(0, true);
    assert.equal(policy.onClosed(1, true), "give-up");
    policy.reset();
    assert.equal(policy.onClosed(2, true), "restart");
  });
});
