// Rendering the first pages of a PDF to canvases with pdf.js (pdfjs-dist). The library and its
// worker are loaded only when a preview is shown: the worker is a file of this server's build
// (Vite emits it as an asset), never a CDN, and eval stays off for the server's CSP.

/** Draws up to `maxPages` first pages into `container`, each as wide as `width` CSS pixels. Returns the page count. */
export async function renderPdfPages(bytes: ArrayBuffer, container: HTMLElement, options: { width: number; maxPages: number; signal: AbortSignal }): Promise<number> {
  const [pdfjs, worker] = await Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]);
  pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
  const task = pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false });
  options.signal.addEventListener('abort', () => void task.destroy());
  const pdf = await task.promise;
  try {
    const ratio = window.devicePixelRatio || 1;
    for (let number = 1; number <= Math.min(pdf.numPages, options.maxPages); number++) {
      if (options.signal.aborted) break;
      const page = await pdf.getPage(number);
      const base = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: (options.width / base.width) * ratio });
      const canvas = document.createElement('canvas');
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.style.width = `${options.width}px`;
      canvas.className = 'document-preview__page';
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `Страница ${number} из ${pdf.numPages}`);
      container.append(canvas);
      await page.render({ canvas, viewport }).promise;
    }
    return pdf.numPages;
  } finally {
    if (!options.signal.aborted) void pdf.destroy();
  }
}
