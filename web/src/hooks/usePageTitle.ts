import { useEffect } from 'react';

const APPLICATION = 'Контур УЦ: интеграция';

export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · ${APPLICATION}` : APPLICATION;
  }, [title]);
}
