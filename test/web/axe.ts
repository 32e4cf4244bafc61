// axe-core (Deque's accessibility engine) run inside a page of the web client. The script is
// evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not
// govern, so the client is checked with its real headers.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Pages axe is running on. axe builds some of its messages with doT templates (`new Function`),
 * which the client's CSP refuses and Chromium reports as a console error: that error is axe's,
 * not the client's, and the page-error collector (browser.ts) leaves it out while axe runs.
 */
export const pagesUnderAudit = new WeakSet<Page>();

/** The serious and critical WCAG 2.1 A/AA and best-practice violations on the page as it is now. */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  pagesUnderAudit.add(page);
  try {
    return await runAxe(page);
  } finally {
    pagesUnderAudit.delete(page);
  }
}

async function runAxe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(`${axeSource}\n;undefined`);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] });
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, nodes: violation.nodes.map((node) => node.target.join(' ')) }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}
