/** `12.3 MB`: decimal units, as registries, Docker Hub and `docker images` show sizes. */
export function decimalSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = bytes / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(v < 100 ? 1 : 0)} ${units[i]}`;
}
