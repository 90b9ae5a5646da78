// What every end-to-end test file shares: the server's address, the demo
// accounts, the folder for screenshots, and Debian's Chromium launched headless
// without reaching for any other host.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const base = process.env.PCMD_E2E_URL;
const accounts = JSON.parse(process.env.PCMD_E2E_ACCOUNTS || '{}');
const shots = process.env.PCMD_E2E_ARTIFACTS || path.join(__dirname, '..', 'target', 'e2e');

async function launch() {
  fs.mkdirSync(shots, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// RFC 6238 with SHA-1, 30 s steps, 6 digits: what an authenticator app shows.
function totp(secret, now = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 1000 / 30)));
  const mac = crypto.createHmac('sha1', key).update(counter).digest();
  const off = mac[mac.length - 1] & 0xf;
  const n = (mac.readUInt32BE(off) & 0x7fffffff) % 1000000;
  return String(n).padStart(6, '0');
}

module.exports = { base, accounts, shots, launch, totp };
