/**
 * The command line Imprint starts Chromium with. Imprint spawns Chromium itself (spawn-chromium.ts) and lets
 * Puppeteer connect over the pipe, so that `imprint build` can start Chromium before Puppeteer's modules have
 * loaded; the list below is therefore Puppeteer's own (`ChromeLauncher.defaultArgs`, headless, of the pinned
 * puppeteer-core) with Imprint's merged in as Puppeteer merges them. test/chromium-args.test.ts compares it
 * with Puppeteer's, so an upgrade that changes Puppeteer's defaults fails there, not in a print.
 */

/**
 * Launch arguments that work as root in a container and keep Chromium off the network on its own.
 * `--disable-component-update` is not among them: it would also stop Chromium from loading the hyphenation
 * dictionaries Imprint puts in the profile (browser/hyphenation-dictionaries.ts). The update checks it
 * allows go nowhere behind OFFLINE_ARGS; a launch with `offline: false` adds the flag back.
 */
export const LAUNCH_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-setuid-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
  '--no-default-browser-check',
  '--disable-extensions',
  // Chromium 156 starts its omnibox popup (a WebUI page) in a renderer of its own even headless: 0.5–0.6 s of
  // CPU at every launch, and the browser 0.1–0.2 s more, for a window no one sees; a build reads the manuscript
  // on both cores meanwhile.
  '--disable-features=PreloadTopChromeWebUI,WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup',
  // The network service in the browser process rather than a utility process of its own: one process fewer to
  // start (a launch, a page and its close: 2.06 s → 1.80 s, 1.97 s → 1.76 s of CPU, eight each). It only ever
  // sees Imprint's own file: and data: loads, and OFFLINE_ARGS apply to it as they did.
  '--enable-features=NetworkServiceInProcess2',
  // The GPU service (software compositing here: --disable-gpu) as a thread of the browser process rather than a
  // process of its own, for the same reason: a launch, a page, a print and the close took 1.79 s against 1.91 s
  // (eight each), and cold PDF builds 6.18 s against 6.37 s and 6.44 s against 6.50 s (eight and ten
  // interleaved). Nothing Imprint does draws with a GPU; printing and screenshots come out the same.
  '--in-process-gpu',
  // Debian's Chromium starts its crash handler (two chrome_crashpad_handler processes, which would write dumps to
  // ~/.config/chromium, outside the throw-away profile) despite Puppeteer's --disable-crash-reporter; this is
  // the switch that stops it. A launch, a page, a print and the close: 1.83 s → 1.80 s (eight each).
  '--disable-crashpad-for-testing',
];

/**
 * Browser-wide kill switch for the network, added unless `offline: false`. Request interception
 * (openLockedPage) cannot see WebSockets or `<link rel=preconnect>` sockets, and WebRTC sends UDP
 * past it: verified, each reached a local server. With every connection sent to a proxy on a closed
 * loopback port (loopback included), no hostname resolving, and WebRTC limited to proxied UDP
 * (there is none), none of them gets out.
 */
export const OFFLINE_ARGS: readonly string[] = [
  '--proxy-server=http://127.0.0.1:9',
  '--proxy-bypass-list=<-loopback>',
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--webrtc-ip-handling-policy=disable_non_proxied_udp',
];

/** Puppeteer's defaults for a headless Chrome, but for the features, which are merged below. */
const PUPPETEER_DEFAULTS: readonly string[] = [
  '--allow-pre-commit-input',
  '--disable-background-networking',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-breakpad',
  '--disable-client-side-phishing-detection',
  '--disable-component-extensions-with-background-pages',
  '--disable-crash-reporter',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  '--disable-hang-monitor',
  '--disable-infobars',
  '--disable-ipc-flooding-protection',
  '--disable-popup-blocking',
  '--disable-prompt-on-repost',
  '--disable-renderer-backgrounding',
  '--disable-search-engine-choice-screen',
  '--disable-sync',
  '--enable-automation',
  '--export-tagged-pdf',
  '--force-color-profile=srgb',
  '--generate-pdf-document-outline',
  '--metrics-recording-only',
  '--no-first-run',
  '--password-store=basic',
  '--use-mock-keychain',
];
const PUPPETEER_DISABLED_FEATURES: readonly string[] = [
  'Translate',
  'AcceptCHFrame',
  'MediaRouter',
  'OptimizationHints',
  'WebUIReloadButton',
  'ProcessPerSiteUpToMainFrameThreshold',
  'IsolateSandboxedIframes',
];
const PUPPETEER_ENABLED_FEATURES: readonly string[] = ['PdfOopif'];

export interface ChromiumArgumentOptions {
  /** Leave OFFLINE_ARGS out and add `--disable-component-update` (see LAUNCH_ARGS). */
  online?: boolean;
  /** More arguments; their `--disable-features` and `--enable-features` are merged with the others. */
  args?: readonly string[];
}

/** Every argument of a headless Chromium with the profile `userDataDir`, driven over a pipe (fds 3 and 4). */
export function chromiumArguments(userDataDir: string, options: ChromiumArgumentOptions = {}): string[] {
  const own = [
    ...LAUNCH_ARGS,
    ...(options.online ? ['--disable-component-update'] : OFFLINE_ARGS),
    ...(options.args ?? []),
  ];
  const features = (flag: string) =>
    own
      .filter((arg) => arg.startsWith(`${flag}=`))
      .flatMap((arg) => arg.slice(flag.length + 1).split(','))
      .map((feature) => feature.trim())
      .filter(Boolean);
  const disabled = [...PUPPETEER_DISABLED_FEATURES, ...features('--disable-features')];
  const enabled = [...PUPPETEER_ENABLED_FEATURES, ...features('--enable-features')];
  const rest = own.filter((arg) => !/^--(?:disable|enable)-features=/.test(arg));
  return [
    ...PUPPETEER_DEFAULTS,
    `--disable-features=${disabled.join(',')}`,
    `--enable-features=${enabled.join(',')}`,
    `--user-data-dir=${userDataDir}`,
    '--headless=new',
    '--hide-scrollbars',
    '--mute-audio',
    '--disable-extensions',
    ...(rest.every((arg) => arg.startsWith('-')) ? ['about:blank'] : []),
    ...rest,
    '--remote-debugging-pipe',
  ];
}
