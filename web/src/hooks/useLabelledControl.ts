import { useLayoutEffect, type RefObject } from 'react';

const LABELABLE = new Set(['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON', 'METER', 'OUTPUT', 'PROGRESS']);

/**
 * Ties a FormField's label to its control when `<label for>` cannot: react-ui's ComboBox (while
 * not being edited) and DatePicker put the id on a `<span role="textbox">`, which a label does not
 * name, and point aria-controls at a menu that exists only while open. Watches the field, since
 * those widgets swap their elements as they open and close.
 */
export function useLabelledControl(container: RefObject<HTMLElement>, controlId: string, labelId: string): void {
  useLayoutEffect(() => {
    const root = container.current;
    if (!root) return;
    const fix = () => {
      const control = root.querySelector<HTMLElement>(`[id="${CSS.escape(controlId)}"]`);
      if (!control) return;
      if (!LABELABLE.has(control.tagName) && control.getAttribute('aria-labelledby') !== labelId) control.setAttribute('aria-labelledby', labelId);
      for (const element of root.querySelectorAll<HTMLElement>('[aria-controls]')) {
        const target = element.getAttribute('aria-controls') ?? '';
        if (target && !document.getElementById(target)) element.removeAttribute('aria-controls');
      }
    };
    fix();
    const observer = new MutationObserver(fix);
    observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-controls', 'id'] });
    return () => observer.disconnect();
  }, [container, controlId, labelId]);
}
