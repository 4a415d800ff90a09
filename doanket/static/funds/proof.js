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
