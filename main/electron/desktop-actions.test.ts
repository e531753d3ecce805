import { describe, expect, it } from 'vitest';
import { externalUrlAllowed, fromDashboard, revealablePath } from './desktop-actions.js';

describe('desktop action guards', () => {
  it('opens only http and https links externally', () => {
    expect(externalUrlAllowed('https://kyma-project.io/docs')).toBe(true);
    expect(externalUrlAllowed('http://127.0.0.1:8080/')).toBe(true);
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'vscode://x', 'not a url', '']) expect(externalUrlAllowed(bad)).toBe(false);
  });

  it('reveals only absolute paths', () => {
    expect(revealablePath('/home/me/fn')).toBe('/home/me/fn');
    expect(revealablePath('relative/fn')).toBeUndefined();
    expect(revealablePath(42)).toBeUndefined();
    expect(revealablePath('/a\0b')).toBeUndefined();
  });

  it('answers IPC only from the daemon origin', () => {
    expect(fromDashboard('http://127.0.0.1:7327/ui/functions', 'http://127.0.0.1:7327')).toBe(true);
    expect(fromDashboard('http://127.0.0.1:9999/ui/', 'http://127.0.0.1:7327')).toBe(false);
    expect(fromDashboard('https://evil.example/', 'http://127.0.0.1:7327')).toBe(false);
    expect(fromDashboard(undefined, 'http://127.0.0.1:7327')).toBe(false);
  });
});
