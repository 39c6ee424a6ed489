// The fake's invite page: it does what Grafana's sign-up page for an invite does, with the
// same two public endpoints. The invite's code is the last segment of this page's path.
"use strict";

const code = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || "");
const api = new URL("../api/user/invite/", location.href);
const $ = (id) => document.getElementById(id);

function show(id) {
  for (const section of ["loading", "invite", "done", "not-found"]) {
    $(section).hidden = section !== id;
  }
}

function fail(text) {
  $("failure").textContent = text;
  $("failure").hidden = false;
}

// messageOf is Grafana's message of an answer that is not 2xx, or its status.
async function messageOf(res) {
  try {
    const body = await res.json();
    if (body && typeof body.message === "string" && body.message !== "") {
      return body.message;
    }
  } catch {
    // not JSON: say the status
  }
  return `${res.status} ${res.statusText}`.trim();
}

async function load() {
  if (!/^[0-9A-Za-z]+$/.test(code)) {
    show("not-found");
    return;
  }
  let res;
  try {
    res = await fetch(new URL(code, api), { headers: { Accept: "application/json" } });
  } catch (err) {
    show(null);
    fail(`The fake did not answer: ${err.message}`);
    return;
  }
  if (res.status === 404) {
    show("not-found");
    return;
  }
  if (!res.ok) {
    show(null);
    fail(await messageOf(res));
    return;
  }
  const invite = await res.json();
  $("invited-by").textContent = invite.invitedBy || "Someone";
  $("org-name").textContent = invite.orgName || "your organization";
  $("email").value = invite.email || "";
  $("name").value = invite.name || "";
  $("username").value = invite.username || invite.email || "";
  show("invite");
  $("password").focus();
}

async function submit(event) {
  event.preventDefault();
  const error = $("error");
  error.hidden = true;
  const form = {
    inviteCode: code,
    email: $("email").value.trim(),
    name: $("name").value.trim(),
    username: $("username").value.trim(),
    password: $("password").value,
    confirmPassword: $("confirm-password").value,
  };
  let problem = "";
  if (form.email === "") problem = "Email is required";
  else if (form.username === "") problem = "Username is required";
  else if (form.password === "") problem = "Password is required";
  else if (form.password !== form.confirmPassword) problem = "Passwords must match";
  if (problem !== "") {
    error.textContent = problem;
    error.hidden = false;
    return;
  }
  $("submit").disabled = true;
  try {
    const res = await fetch(new URL("complete", api), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(form),
    });
    if (!res.ok) {
      error.textContent = await messageOf(res);
      error.hidden = false;
      return;
    }
    const done = await res.json();
    $("done-message").textContent = `${done.message}: ${form.username} is now a member of ${$("org-name").textContent}.`;
    show("done");
  } catch (err) {
    error.textContent = `The fake did not answer: ${err.message}`;
    error.hidden = false;
  } finally {
    $("submit").disabled = false;
  }
}

$("form").addEventListener("submit", submit);
load();
