// Text for the page: escaped for HTML, and money in integer cents shown as dollars.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function money(cents: number): string {
  return `$${(cents / 100).toFixed(2)}`;
}
