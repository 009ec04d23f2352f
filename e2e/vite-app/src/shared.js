// Shared by both pages: the build puts it in a chunk of its own, which each page's HTML modulepreloads.
export function mark(name) {
  (window.__app = window.__app || []).push(name);
  document.getElementById('app').dataset[name] = '1';
  document.dispatchEvent(new Event('app:mark'));
}
export const padding = 'shared module '.repeat(64);
