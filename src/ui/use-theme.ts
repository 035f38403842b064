// The theme travels by context so every component can ask for a tone.
import { createContext, useContext } from 'react';
import { colorEnabled, makeTheme, type Theme } from './theme.js';

export const ThemeContext = createContext<Theme>(makeTheme(colorEnabled()));

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
