// Which Chromium to launch and how; apart from run-browser.ts so that test/global-setup.ts can read
// it without loading the backends' manifests.

export const defaultChromium = '/usr/bin/chromium';

/** The flags measured to work here (ENVIRONMENT.md): no GPU process, nothing reaching a network. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
