// Page object for the playground: intent methods over data-testid hooks.
import { expect } from '@playwright/test';

export class Playground {
  constructor(page) {
    this.page = page;
    this.consoleErrors = [];
    this.foreignRequests = [];
    page.on('console', (m) => { if (m.type() === 'error') this.consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => this.consoleErrors.push(String(e)));
    page.on('request', (r) => {
      const url = r.url();
      if (!url.startsWith('http://127.0.0.1') && !url.startsWith('data:') && !url.startsWith('blob:')) this.foreignRequests.push(url);
    });
  }

  async open(path = '/') {
    await this.page.goto(path);
    await expect(this.page.getByTestId('canvas')).toBeVisible();
  }

  /** Starts from an empty store: no autosave, no share link. */
  async openFresh(path = '/') {
    await this.page.goto(path);
    await this.page.evaluate(() => localStorage.clear());
    await this.page.goto(path);
    await expect(this.page.getByTestId('canvas')).toBeVisible();
  }

  node(id) { return this.page.getByTestId(`node-${id}`); }
  banner() { return this.page.getByTestId('banner'); }

  async openGallery(id) {
    await this.page.getByTestId('gallery').selectOption(id);
    await expect(this.page.getByTestId('lesson')).toBeVisible();
  }

  async fit() { await this.page.getByTestId('fit').click(); }

  /** HTML5 drag from the palette onto a node (at its centre-ish). */
  async dragFromPalette(kind, targetId, offset = { x: 0.5, y: 0.75 }) {
    const target = this.node(targetId);
    const box = await target.boundingBox();
    const canvas = await this.page.getByTestId('canvas').boundingBox();
    await this.page.getByTestId(`palette-${kind}`).dragTo(this.page.getByTestId('canvas'), {
      targetPosition: { x: box.x - canvas.x + box.width * offset.x, y: box.y - canvas.y + box.height * offset.y },
    });
  }

  /** Pointer drag of a node onto another node. */
  async dragNodeOnto(sourceId, targetId, offset = { x: 0.5, y: 0.5 }) {
    const s = await this.node(sourceId).boundingBox();
    const t = await this.node(targetId).boundingBox();
    await this.page.mouse.move(s.x + 12, s.y + 10);
    await this.page.mouse.down();
    await this.page.mouse.move(s.x + 40, s.y + 40, { steps: 4 });
    await this.page.mouse.move(t.x + t.width * offset.x, t.y + t.height * offset.y, { steps: 8 });
    await this.page.mouse.up();
  }

  /** Opens a file through the toolbar's Open… input; the import itself runs in the import worker. */
  async openFile(name, text, mimeType = 'text/plain') {
    await this.page.getByTestId('open-file').setInputFiles({ name, mimeType, buffer: Buffer.from(text) });
  }

  /**
   * Answers 404 for the import worker's files (by default all three: the loader, its JS glue
   * and its wasm), as after a broken deploy. Routed on the context: the worker's own requests
   * (importScripts, the wasm fetch) are not the page's.
   */
  async breakImportWorker(pattern = /\/netsec-import-worker[^/]*$/) {
    this.brokenWorker = pattern;
    await this.page.context().route(pattern, (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }));
  }

  async repairImportWorker() {
    await this.page.context().unroute(this.brokenWorker);
  }

  async select(id) { await this.node(id).click({ position: { x: 10, y: 8 } }); }

  async undo() { await this.page.keyboard.press('Control+z'); }
  async redo() { await this.page.keyboard.press('Control+Shift+z'); }

  async screenshot(name) {
    await this.page.screenshot({ path: `output/${name}.png` });
  }

  expectClean() {
    expect(this.consoleErrors, 'console errors').toEqual([]);
    expect(this.foreignRequests, 'requests leaving the origin').toEqual([]);
  }
}
