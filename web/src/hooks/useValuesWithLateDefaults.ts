import { useEffect, useState } from 'react';

/**
 * Form values that start from defaults which may arrive after the form appears (the employee
 * card loads while the issue page is already shown): a default fills its field only while the
 * user has left that field empty, so nothing typed is overwritten.
 */
export function useValuesWithLateDefaults<K extends string>(defaults: Record<K, string>) {
  const [values, setValues] = useState(defaults);
  const defaultsKey = JSON.stringify(defaults);
  useEffect(() => {
    setValues((current) => {
      const next = { ...current };
      let changed = false;
      for (const key of Object.keys(defaults) as K[]) {
        if (!current[key] && defaults[key]) {
          next[key] = defaults[key];
          changed = true;
        }
      }
      return changed ? next : current;
    });
    // defaultsKey stands for the defaults' content: the object itself is new on every render.
  }, [defaultsKey]);
  return [values, setValues] as const;
}
