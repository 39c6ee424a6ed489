// How a test suite in another language starts the fake: `serve-fake --json` prints one JSON
// line (URL and credentials), --latency slows every call, --fault answers the next calls of
// an operation with a status. This suite is also the example README points to.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

interface FakeSettings {
  url: string;
  token: string;
  user: string;
  password: string;
  orgId: number;
  grafanaVersion: string;
}

const bin = process.env["GRAFANA_INVITES_BIN"];
const fake = spawn(
  bin ?? "grafana-invites",
  ["serve-fake", "--addr", "127.0.0.1:0", "--json", "--latency", "20ms", "--fault", "getPendingOrgInvites:503:1"],
  { stdio: ["ignore", "pipe", "inherit"] },
);
let settings: FakeSettings;

before(async () => {
  assert.ok(bin, "set GRAFANA_INVITES_BIN to the grafana-invites binary (make contract-ts does)");
  const lines = createInterface({ input: fake.stdout! });
  for await (const line of lines) {
    settings = JSON.parse(line) as FakeSettings; // the one line serve-fake --json prints
    break;
  }
});

after(async () => {
  const exited = new Promise<number | null>((resolve) => fake.once("exit", (code) => resolve(code)));
  fake.kill("SIGTERM");
  assert.equal(await exited, 0);
});

function get(path: string, auth: string): Promise<Response> {
  return fetch(settings.url + path, { headers: { Authorization: auth } });
}

test("the JSON line says where the fake is and how to sign in", () => {
  assert.match(settings.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.match(settings.token, /^glsa_[0-9A-Za-z]{32}_[0-9a-f]{8}$/);
  assert.equal(settings.user, "admin");
  assert.equal(settings.orgId, 1);
  assert.match(settings.grafanaVersion, /^\d+\.\d+\.\d+$/);
});

test("--fault answers the first list with 503, --latency delays every call", async () => {
  const first = await get("api/org/invites", `Bearer ${settings.token}`);
  assert.equal(first.status, 503);
  const started = performance.now();
  const second = await get("api/org/invites", `Bearer ${settings.token}`);
  assert.equal(second.status, 200);
  assert.deepEqual(await second.json(), []);
  assert.ok(performance.now() - started >= 19, "at least the 20ms of --latency");
});

test("basic auth with the printed user and password works too", async () => {
  const basic = "Basic " + Buffer.from(`${settings.user}:${settings.password}`).toString("base64");
  const res = await get("api/org/invites", basic);
  assert.equal(res.status, 200);
});
