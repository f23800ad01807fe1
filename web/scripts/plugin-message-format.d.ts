// @inlang/plugin-message-format ships no types: the part messages-compiler.ts uses, as the
// inlang SDK calls it.
declare module '@inlang/plugin-message-format' {
  interface Settings {
    locales: string[];
    baseLocale: string;
    modules?: string[];
    [plugin: string]: unknown;
  }
  interface Imported {
    bundles: { id: string; declarations?: unknown[] }[];
    messages: { bundleId: string; locale: string; selectors?: unknown[] }[];
    variants: {
      messageBundleId?: string;
      messageLocale?: string;
      matches?: unknown[];
      pattern?: unknown[];
    }[];
  }
  const plugin: {
    key: string;
    toBeImportedFiles(args: { settings: Settings }): Promise<{ path: string; locale: string }[]>;
    importFiles(args: {
      files: { locale: string; content: Uint8Array }[];
      settings: Settings;
    }): Promise<Imported>;
  };
  export default plugin;
  export type { Imported, Settings };
}
