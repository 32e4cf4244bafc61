import { lazy, type ComponentType } from 'react';

/** A page loaded on first use from its own chunk (React.lazy needs a default export; pages export by name). */
export function lazyPage<Name extends string>(load: () => Promise<Record<Name, ComponentType>>, name: Name) {
  return lazy(async () => ({ default: (await load())[name] }));
}
