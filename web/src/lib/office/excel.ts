import type * as ExcelJS from 'exceljs';
import excelScript from 'exceljs/dist/exceljs.bare.min.js?url';

type Excel = typeof ExcelJS;

let loading: Promise<Excel> | undefined;

/**
 * exceljs for the import page only: the package's own prebuilt browser file (no polyfills),
 * fetched the first time a sheet is read or the template is made. It is loaded as a script
 * rather than bundled: exceljs is CommonJS, and bundling it would put the CommonJS helpers
 * into the chunk that every page, the public ones too, loads.
 */
export function loadExcel(): Promise<Excel> {
  loading ??= new Promise<Excel>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = excelScript;
    script.onload = () => {
      const excel = (window as { ExcelJS?: Excel }).ExcelJS;
      if (excel) resolve(excel);
      else reject(new Error('exceljs did not load'));
    };
    script.onerror = () => reject(new Error('exceljs could not be fetched'));
    document.head.append(script);
  }).catch((failure: unknown) => {
    loading = undefined;
    throw failure;
  });
  return loading;
}
