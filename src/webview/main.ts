/** Webview entry: renders view models sent by the extension host; never sees key material. */
export {};
