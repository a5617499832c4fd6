// A Markdown table, as every bench report writes one: a header row, its rule, a row per line.
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [row(headers), row(headers.map(() => "---")), ...rows.map(row)];
}
