import { LIGHT_THEME, ThemeFactory } from '@skbkontur/react-ui';

/**
 * The Kontur light theme with placeholder and hint greys dark enough to read (WCAG AA, 4.5:1 on
 * white): the defaults (#adadad, #858585) fail axe-core's colour-contrast check.
 */
export const APP_THEME = ThemeFactory.create(
  {
    placeholderColor: '#737373',
    selectPlaceholderColor: '#737373',
    fileUploaderAfterLinkColor: '#6b6b6b',
  },
  LIGHT_THEME,
);
