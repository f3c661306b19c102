// The confusion matrix as a standalone SVG: rows are true digits, columns predicted digits, cell
// shade ∝ count / row total, each cell labelled with its count.
export function confusionSvg(matrix: number[][], labels: string[], title: string): string {
  const n = labels.length;
  const cell = 40;
  const left = 70;
  const top = 70;
  const size = left + n * cell + 20;
  const height = top + n * cell + 40;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${height}" viewBox="0 0 ${size} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${size / 2}" y="20" text-anchor="middle" font-size="14">${esc(title)}</text>`,
    `<text x="${left + (n * cell) / 2}" y="${top - 28}" text-anchor="middle">predicted</text>`,
    `<text x="18" y="${top + (n * cell) / 2}" text-anchor="middle" transform="rotate(-90 18 ${top + (n * cell) / 2})">true</text>`,
  ];
  for (let j = 0; j < n; j++)
    parts.push(
      `<text x="${left + j * cell + cell / 2}" y="${top - 8}" text-anchor="middle">${esc(labels[j])}</text>`,
    );
  for (let i = 0; i < n; i++) {
    const total = matrix[i].reduce((a, b) => a + b, 0) || 1;
    parts.push(
      `<text x="${left - 8}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end">${esc(labels[i])}</text>`,
    );
    for (let j = 0; j < n; j++) {
      const frac = matrix[i][j] / total;
      // Diagonal in blue, errors in red; white for zero.
      const shade = Math.round(255 * (1 - Math.min(1, i === j ? frac : frac * 10)));
      const fill = i === j ? `rgb(${shade},${shade},255)` : `rgb(255,${shade},${shade})`;
      const ink = (i === j ? frac : frac * 10) > 0.6 ? 'white' : 'black';
      parts.push(
        `<rect x="${left + j * cell}" y="${top + i * cell}" width="${cell}" height="${cell}" fill="${fill}" stroke="#ccc"/>`,
        `<text x="${left + j * cell + cell / 2}" y="${top + i * cell + cell / 2 + 4}" text-anchor="middle" fill="${ink}">${matrix[i][j]}</text>`,
      );
    }
  }
  parts.push(
    `<text x="${left}" y="${height - 12}" font-size="11">cell = count; shade = share of the row (errors ×10)</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
