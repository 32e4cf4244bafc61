/**
 * A modal's width that never exceeds the screen. Kontur's Modal switches to its phone layout
 * only for touch screens; a narrow desktop window needs this too.
 */
export function modalWidth(pixels: number): string {
  return `min(${pixels}px, calc(100vw - 40px))`;
}
