import pidusage from "pidusage";

/** CPU time (user + system) the processes have used so far, in ms. */
export async function cpuMs(pids: number[]): Promise<number> {
  const stats = await pidusage(pids);
  return Object.values(stats).reduce((sum, stat) => sum + stat.ctime, 0);
}
