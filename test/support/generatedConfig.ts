/**
 * A generated redundancymaster.xml of `servers` pairs with `itemsPerServer` monitor items each,
 * valid unless `lastItemId` puts a bad id on the very last item. Used by the validation benchmark
 * and the hostile-input tests.
 */
export function generatedConfig(servers: number, itemsPerServer: number, options: { lastItemId?: string } = {}): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<redundancyMaster version="1">'];
  const triggers = ['trigger="badQuality"', 'trigger="specificValue" triggerData="true"', 'trigger="noDataChange" triggerData="5000"'];
  for (let s = 0; s < servers; s++) {
    out.push(`  <server name="Plant.Server${s}" alias="Plant.Server${s}.Pair" port="${40000 + s}">`);
    out.push(`    <primary host="plc-a-${s}" url="opc.tcp://plc-a-${s}.plant.example:4840"/>`);
    out.push(`    <secondary host="plc-b-${s}" url="opc.tcp://plc-b-${s}.plant.example:4840"/>`);
    out.push(`    <connection mode="${["cold", "warm", "hot"][s % 3]}" statusIntervalMs="1000" statusTimeoutMs="500"/>`);
    out.push(`    <monitoring failureCount="${Math.min(2, Math.max(1, itemsPerServer))}">`);
    for (let i = 0; i < itemsPerServer; i++) {
      const last = s === servers - 1 && i === itemsPerServer - 1;
      const id = last && options.lastItemId !== undefined ? options.lastItemId : `ns=2;s=Line${s}.Device${i % 16}.Tag${i}`;
      out.push(`      <item id="${id}" updateRateMs="1000" ${triggers[i % triggers.length]}/>`);
    }
    out.push("    </monitoring>", "  </server>");
  }
  out.push('  <diagnostics maxEvents="5000"/>', "</redundancyMaster>", "");
  return out.join("\n");
}
