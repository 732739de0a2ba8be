/** Keeps this process's event loop busy for `ms`, as seconds of start-up work (a mirror, a nodeset) or a loaded machine do. */
export function stall(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}
