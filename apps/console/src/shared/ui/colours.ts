/**
 * Solid tag colours for states (white text on them passes WCAG AA's 4.5:1; Ant Design's light
 * status tags do not, as axe-core found).
 */
export const STATE_COLOURS = {
  breached: '#a4161a',
  'at-risk': '#8a4b00',
  'on-track': '#2b6a0a',
  met: '#2b6a0a',
} as const;
