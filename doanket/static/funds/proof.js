// Checks in the browser that a published entry is in the campaign's log: the inclusion proof of
// RFC 9162 §2.1.3.2 against the root of the latest signed checkpoint. A line-for-line copy of
// verify_inclusion in doanket/funds/merkle.py (same names, same steps); no dependencies, no build.
//
// Hashes are lowercase or uppercase hex strings of 32 bytes. Index and size are numbers (or
// BigInts, or decimal strings): they are handled as BigInt because JavaScript's bit operators
// work on 32 bits only.

const HASH_SIZE = 32;

function fromHex(hex) {
  if (typeof hex !== "string" || !/^[0-9a-fA-F]*$/.test(hex) || hex.length !== 2 * HASH_SIZE) {
    return null;
  }
  const bytes = new Uint8Array(HASH_SIZE);
  for (let i = 0; i < HASH_SIZE; i++) {
    bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  }
  return bytes;
}

function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function equal(a, b) {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

async function sha256(...parts) {
  const data = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    data.set(part, offset);
    offset += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data));
}

// RFC 9162 §2.1.1: HASH(0x01 || left || right).
async function nodeHash(left, right) {
  return sha256(Uint8Array.of(0x01), left, right);
}

// RFC 9162 §2.1.1: HASH(0x00 || data), as hex. `bytes` is a Uint8Array (or an ArrayBuffer).
export async function leafHash(bytes) {
  return toHex(await sha256(Uint8Array.of(0x00), new Uint8Array(bytes)));
}

// RFC 9162 §2.1.3.2. The proof does not bind `size` on its own: take `size` and `rootHex`
// together from one verified checkpoint.
export async function verifyInclusion(leafHashHex, index, size, proofHex, rootHex) {
  const leaf = fromHex(leafHashHex);
  const root = fromHex(rootHex);
  if (leaf === null || root === null || !Array.isArray(proofHex)) {
    return false;
  }
  const proof = proofHex.map(fromHex);
  if (proof.includes(null)) {
    return false;
  }
  let leafIndex, treeSize;
  try {
    leafIndex = BigInt(index);
    treeSize = BigInt(size);
  } catch {
    return false;
  }
  // 1. Fail if leaf_index >= tree_size.
  if (leafIndex < 0n || leafIndex >= treeSize) {
    return false;
  }
  // 2. fn = leaf_index, sn = tree_size - 1.
  let fn = leafIndex;
  let sn = treeSize - 1n;
  // 3. r = hash.
  let r = leaf;
  // 4. For each p in inclusion_path:
  for (const p of proof) {
    // 4a. If sn is 0, stop and fail.
    if (sn === 0n) {
      return false;
    }
    // 4b. If LSB(fn) is set or fn == sn:
    if ((fn & 1n) === 1n || fn === sn) {
      // 4b.i. r = HASH(0x01 || p || r).
      r = await nodeHash(p, r);
      // 4b.ii. If LSB(fn) is not set, shift fn and sn right until LSB(fn) is set or fn is 0.
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      // 4b. Otherwise r = HASH(0x01 || r || p).
      r = await nodeHash(r, p);
    }
    // 4c. Shift fn and sn right once.
    fn >>= 1n;
    sn >>= 1n;
  }
  // 5. Succeed only if sn is 0 and r equals root_hash.
  return sn === 0n && equal(r, root);
}

// --- Signed checkpoints (C2SP signed-note, tlog-checkpoint, tlog-cosignature/v1) -------------
// A copy of open_checkpoint in merkle.py: the note's Ed25519 signature by one of the trusted
// verifier keys must verify; the time comes from the same key's timestamped cosignature.

const SIGNATURE_PREFIX = "\u2014 ";
const ALG_ED25519 = 0x01;
const ALG_COSIGNATURE_V1 = 0x04;

function fromBase64(text) {
  const binary = atob(text);
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

async function keyId(name, algorithm, publicKey) {
  const digest = await sha256(new TextEncoder().encode(name + "\n"), Uint8Array.of(algorithm), publicKey);
  return digest.slice(0, 4);
}

function parseVerifierKey(text) {
  const [name, hexId, encoded] = splitKey(text.trim());
  const data = fromBase64(encoded);
  if (data.length !== 33 || data[0] !== ALG_ED25519) {
    throw new Error("not an Ed25519 verifier key");
  }
  return { name, hexId, publicKey: data.slice(1) };
}

function splitKey(text) {
  const first = text.indexOf("+");
  const second = text.indexOf("+", first + 1);
  if (first < 0 || second < 0) {
    throw new Error("a verifier key reads <name>+<key id>+<key>");
  }
  return [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)];
}

async function ed25519Verify(publicKey, signature, message) {
  const key = await crypto.subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
  return crypto.subtle.verify({ name: "Ed25519" }, key, signature, message);
}

// Returns { origin, size (BigInt), rootHex, time (seconds or null), keyId } or throws an Error
// saying why the checkpoint cannot be trusted.
export async function openCheckpoint(note, verifierKeyTexts, origin) {
  const split = note.lastIndexOf("\n\n");
  if (split < 0) {
    throw new Error("the checkpoint has no signatures");
  }
  const body = note.slice(0, split + 1);
  const lines = note.slice(split + 2).split("\n").filter((line) => line !== "");
  const signatures = lines.map((line) => {
    if (!line.startsWith(SIGNATURE_PREFIX)) {
      throw new Error("malformed signature line");
    }
    const [name, encoded] = line.slice(SIGNATURE_PREFIX.length).split(" ");
    return { name, blob: fromBase64(encoded) };
  });
  const message = new TextEncoder().encode(body);
  let trusted = null;
  let time = null;
  for (const text of verifierKeyTexts) {
    const key = parseVerifierKey(text);
    const id = await keyId(key.name, ALG_ED25519, key.publicKey);
    if (toHex(id) !== key.hexId.toLowerCase()) {
      throw new Error("a verifier key does not match its key id");
    }
    const cosignId = await keyId(key.name, ALG_COSIGNATURE_V1, key.publicKey);
    for (const { name, blob } of signatures) {
      if (name !== key.name) {
        continue;
      }
      if (equal(blob.slice(0, 4), id)) {
        if (!(await ed25519Verify(key.publicKey, blob.slice(4), message))) {
          throw new Error("the checkpoint's signature does not verify");
        }
        trusted = key.hexId;
      } else if (equal(blob.slice(0, 4), cosignId) && blob.length === 4 + 8 + 64) {
        const stamp = new DataView(blob.buffer, blob.byteOffset + 4, 8).getBigUint64(0);
        const signed = new TextEncoder().encode(`cosignature/v1\ntime ${stamp}\n${body}`);
        if (!(await ed25519Verify(key.publicKey, blob.slice(12), signed))) {
          throw new Error("the checkpoint's time signature does not verify");
        }
        time = Number(stamp);
      }
    }
  }
  if (trusted === null) {
    throw new Error("the checkpoint is not signed by a published key");
  }
  const [logOrigin, sizeText, rootText] = body.split("\n");
  if (logOrigin !== origin) {
    throw new Error("the checkpoint is for another log");
  }
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) {
    throw new Error("malformed tree size");
  }
  const root = fromBase64(rootText);
  if (root.length !== HASH_SIZE) {
    throw new Error("malformed root hash");
  }
  return { origin: logOrigin, size: BigInt(sizeText), rootHex: toHex(root), time, keyId: trusted };
}

// Checks that `entryText` (the exact published text) is entry `index` of the log signed in
// `checkpointNote`, with the `proofHex` the server gave. Returns the opened checkpoint; throws if
// anything does not hold.
export async function checkEntry(entryText, index, proofHex, checkpointNote, verifierKeyTexts, origin) {
  const checkpoint = await openCheckpoint(checkpointNote, verifierKeyTexts, origin);
  const hash = await leafHash(new TextEncoder().encode(entryText));
  if (!(await verifyInclusion(hash, index, checkpoint.size, proofHex, checkpoint.rootHex))) {
    throw new Error("the entry is not in the signed log");
  }
  return checkpoint;
}
