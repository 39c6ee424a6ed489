// Calls the three operations of openapi.yaml with openapi-fetch, typed by openapi-typescript,
// against `grafana-invites serve-fake` (GRAFANA_INVITES_BIN), and checks Grafana's answers.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./schema.js";

let fake: ChildProcess;
let client: Client<paths>;

async function startFake(): Promise<{ url: string; token: string }> {
  const bin = process.env["GRAFANA_INVITES_BIN"];
  assert.ok(bin, "set GRAFANA_INVITES_BIN to the grafana-invites binary (make contract-ts does)");
  fake = spawn(bin, ["serve-fake", "--addr", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "inherit"] });
  const settings: Record<string, string> = {};
  for await (const line of createInterface({ input: fake.stdout! })) {
    const [key, ...rest] = line.split("=");
    if (key === "GRAFANA_URL" || key === "GRAFANA_TOKEN") settings[key] = rest.join("=");
    if (settings["GRAFANA_URL"] && settings["GRAFANA_TOKEN"]) break;
  }
  assert.ok(settings["GRAFANA_URL"] && settings["GRAFANA_TOKEN"], "serve-fake printed no URL or token");
  return { url: settings["GRAFANA_URL"], token: settings["GRAFANA_TOKEN"] };
}

before(async () => {
  const { url, token } = await startFake();
  client = createClient<paths>({ baseUrl: url + "api", headers: { Authorization: `Bearer ${token}` } });
});

after(async () => {
  const exited = new Promise<number | null>((resolve) => fake.once("exit", (code) => resolve(code)));
  fake.kill("SIGTERM");
  assert.equal(await exited, 0, "serve-fake stops cleanly on SIGTERM");
});

test("add → list shows it with a 30-character code → revoke → list is empty", async () => {
  const added = await client.POST("/org/invites", {
    body: { loginOrEmail: "ts@example.com", name: "TS", role: "Editor", sendEmail: false },
  });
  assert.equal(added.response.status, 200);
  assert.equal(added.data?.message, "Created invite for ts@example.com");
  assert.equal(added.data?.userId, undefined, "a new invitee has no userId");

  const listed = await client.GET("/org/invites");
  assert.equal(listed.response.status, 200);
  const invites = listed.data ?? [];
  assert.equal(invites.length, 1);
  const invite = invites[0]!;
  assert.equal(invite.email, "ts@example.com");
  assert.equal(invite.role, "Editor");
  assert.equal(invite.status, "InvitePending");
  assert.match(invite.code, /^[0-9A-Za-z]{30}$/);
  assert.ok(invite.url.endsWith("/invite/" + invite.code));
  assert.ok(!Number.isNaN(Date.parse(invite.createdOn)), "createdOn is a date-time");

  const revoked = await client.PATCH("/org/invites/{invitation_code}/revoke", {
    params: { path: { invitation_code: invite.code } },
  });
  assert.equal(revoked.response.status, 200);
  assert.equal(revoked.data?.message, "Invite revoked");

  const after = await client.GET("/org/invites");
  assert.deepEqual(after.data, []);
});

test("an unknown code gives 404 with Grafana's message", async () => {
  const res = await client.PATCH("/org/invites/{invitation_code}/revoke", {
    params: { path: { invitation_code: "Q2zr6UuKDaWlJgmjE3U8w0pPBrVpTm" } },
  });
  assert.equal(res.response.status, 404);
  assert.equal(res.error?.message, "Invite not found");
});

test("the two 412s are told apart by message", async () => {
  const res = await client.POST("/org/invites", { body: { loginOrEmail: "admin@localhost", role: "Viewer" } });
  assert.equal(res.response.status, 412);
  assert.match(res.error?.message ?? "", /is already added to organization/);
});

// Compile-time checks: `tsc --strict` fails the build if any of these stops being an error.
export function typeChecks(c: Client<paths>): void {
  // @ts-expect-error loginOrEmail is required by the contract
  void c.POST("/org/invites", { body: { role: "Viewer" } });
  // @ts-expect-error role is required by the contract
  void c.POST("/org/invites", { body: { loginOrEmail: "a@example.com" } });
  // @ts-expect-error "Owner" is not a role
  void c.POST("/org/invites", { body: { loginOrEmail: "a@example.com", role: "Owner" } });
  // @ts-expect-error revoke is PATCH: the contract has no DELETE
  void c.DELETE("/org/invites/{invitation_code}/revoke", { params: { path: { invitation_code: "x" } } });
}
