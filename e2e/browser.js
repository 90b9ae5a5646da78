// What every end-to-end test file shares: the server's address, the demo
// accounts, the folder for screenshots, and Debian's Chromium launched headless
// without reaching for any other host.
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

module.exports = { base, accounts, shots, launch };
