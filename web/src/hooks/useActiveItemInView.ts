import { useEffect, type RefObject } from 'react';

/**
 * Keeps the active item of a horizontally scrolling strip (the navigation on a phone, the
 * settings tabs) in view when it changes or the window narrows, instead of leaving it
 * scrolled off the edge.
 */
export function useActiveItemInView(container: RefObject<HTMLElement>, activeSelector: string, key: unknown): void {
  useEffect(() => {
    const reveal = () => {
      const strip = container.current;
      const active = strip?.querySelector<HTMLElement>(activeSelector);
      if (!strip || !active || strip.scrollWidth <= strip.clientWidth) return;
      strip.scrollLeft = active.offsetLeft - strip.offsetLeft - (strip.clientWidth - active.offsetWidth) / 2;
    };
    reveal();
    window.addEventListener('resize', reveal);
    return () => window.removeEventListener('resize', reveal);
  }, [container, activeSelector, key]);
}
