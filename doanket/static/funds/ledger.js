// The "Check" buttons of a campaign's public page: fetch the entry's inclusion proof and the
// latest signed checkpoint, verify both here in the browser (proof.js), and show what was
// verified — read from the checked text itself, not from the page around it.
import { checkEntry } from "./proof.js";

const root = document.getElementById("ledger");

function formatMoney(amount) {
  return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}

function formatDate(iso) {
  const [year, month, day] = iso.split("-");
  return `${day}/${month}/${year}`;
}

function formatTime(seconds) {
  const when = new Date(seconds * 1000);
  const pad = (n) => String(n).padStart(2, "0");
  return `${pad(when.getDate())}/${pad(when.getMonth() + 1)}/${when.getFullYear()} ${pad(when.getHours())}:${pad(when.getMinutes())}`;
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
}

async function check(button) {
  const row = button.closest("[data-entry]");
  const out = row.querySelector("[data-result]");
  const keys = JSON.parse(document.getElementById("ledger-keys").textContent);
  out.textContent = root.dataset.checking;
  out.className = "muted";
  try {
    // The page gives the proof URL of entry 0; this entry's is the same with its number.
    const response = await fetch(root.dataset.proofUrl.replace(/0$/, row.dataset.index), { headers: { Accept: "application/json" } });
    if (!response.ok) {
      throw new Error(`HTTP ${response.status}`);
    }
    const proof = await response.json();
    const text = row.dataset.entry;
    const checkpoint = await checkEntry(text, BigInt(row.dataset.index), proof.proof, proof.checkpoint, keys, root.dataset.origin);
    const entry = JSON.parse(text);
    out.textContent = fill(root.dataset.ok, {
      index: entry.index,
      size: checkpoint.size.toString(),
      time: checkpoint.time === null ? "" : formatTime(checkpoint.time),
      key: checkpoint.keyId,
      date: formatDate(entry.date),
      amount: formatMoney(entry.amount),
      donor: entry.donor || entry.to || root.dataset.anonymous,
    });
    out.className = "ok";
    out.dataset.verified = "true";
  } catch (error) {
    out.textContent = fill(root.dataset.failed, { reason: error.message });
    out.className = "error";
    out.dataset.verified = "false";
  }
}

if (root !== null) {
  if (!globalThis.crypto || !crypto.subtle) {
    for (const button of root.querySelectorAll("[data-check]")) {
      button.disabled = true;
      button.title = root.dataset.unsupported;
    }
  }
  root.addEventListener("click", (event) => {
    const button = event.target.closest("[data-check]");
    if (button !== null) {
      check(button);
    }
  });
}
