import { ConfigError, loadConfigFile } from "../config/loadConfig";
import { Notifier } from "../notify/notifier";
import { SMTP_PASSWORD_ENV } from "../notify/smtpPasswords";
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, parseOptions, UsageError, type Verb } from "./verb";

export function testEmailVerb(): Verb {
  return {
    name: "test-email",
    summary: "send a test mail to every recipient of a config's notifications",
    usage: [
      "usage: redundancymaster test-email FILE",
      "",
      "Sends a test message to every <to> of FILE's <notifications> (enabled or not) through the",
      "primary SMTP server, else the secondary, and prints one line per recipient:",
      "  accepted bob@home.net: accepted by primary SMTP 192.168.0.200:25",
      "  refused  john@xyz.com: refused by primary SMTP 192.168.0.200:25: 550 …",
      "",
      `SMTP passwords come from ${SMTP_PASSWORD_ENV.primary} (primary) and`,
      `${SMTP_PASSWORD_ENV.secondary} (secondary); never from FILE.`,
      "",
      "Exit status: 0 every recipient accepted, 1 a recipient refused or no server took the mail,",
      "2 usage, I/O or config errors.",
    ].join("\n"),
    async run(args, io) {
      const { positional } = parseOptions(args, []);
      if (positional.length !== 1) throw new UsageError("test-email needs exactly one FILE");
      const [file] = positional;
      let notifications;
      try {
        notifications = (await loadConfigFile(file)).config.notifications;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        io.err(`redundancymaster: ${err instanceof ConfigError ? err.message : `cannot read ${file}: ${code === "ENOENT" ? "no such file" : (err as Error).message}`}`);
        return EXIT_USAGE;
      }
      const missing = notifications.to.length === 0 ? "<to> recipients" : !notifications.from ? "a from address" : !notifications.primary ? "a primary <smtp>" : undefined;
      if (missing) {
        io.err(`redundancymaster: ${file} cannot send mail: its <notifications> needs ${missing}`);
        return EXIT_USAGE;
      }
      const notifier = new Notifier(notifications, { postEvent: () => undefined });
      const results = await notifier.sendTest();
      await notifier.close();
      for (const r of results) io.out(`${r.accepted ? "accepted" : "refused "} ${r.recipient}: ${r.detail}`);
      return results.every((r) => r.accepted) ? EXIT_OK : EXIT_FINDINGS;
    },
  };
}
